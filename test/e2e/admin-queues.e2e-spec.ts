import { QUEUES } from '../../src/common/queues';
import { connectWhatsapp } from '../utils/channels';
import { Account, signup } from '../utils/factories';
import { customerConversation, settledMessage } from '../utils/outbound';
import { startApp, TestApp } from '../utils/test-app';
import { WebhookReceiver } from '../utils/webhook-receiver';
import { expectProblem } from '../utils/workspace-fixtures';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

describe('operations: Bull Board behind ADMIN_TOKEN, and /metrics', () => {
  let t: TestApp;
  let bare: TestApp;
  beforeAll(async () => {
    t = await startApp({ ADMIN_TOKEN, ALLOW_PRIVATE_WEBHOOK_URLS: 'true' });
    bare = await startApp();
  });
  afterAll(async () => {
    await t?.close();
    await bare?.close();
  });

  it('is not mounted without ADMIN_TOKEN', async () => {
    await bare.http().get('/admin/queues').expect(404);
    await bare.http().get('/admin/queues/api/queues').expect(404);
  });

  it('asks for the admin token, as a bearer token or the Basic password', async () => {
    const anonymous = await t.http().get('/admin/queues');
    expectProblem(anonymous, 401, 'unauthorized');
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic /);
    expectProblem(await t.http().get('/admin/queues').set('Authorization', 'Bearer not-the-token'), 401, 'unauthorized');
    expectProblem(await t.http().get('/admin/queues/api/queues').set('Authorization', `Basic ${Buffer.from('ops:wrong').toString('base64')}`), 401, 'unauthorized');

    const page = await t.http().get('/admin/queues').set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const api = await t.http().get('/admin/queues/api/queues').set('Authorization', `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}`).expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(Object.values(QUEUES).sort());
  });

  it('exposes latency by route, queue depths, job durations and provider, outbound and webhook delivery outcomes', async () => {
    const owner: Account = await signup(t);
    const receiver = await WebhookReceiver.start();
    try {
      await t.http().post(`/v1/workspaces/${owner.workspaceId}/webhook-subscriptions`).set(owner.auth).send({ url: receiver.url, events: ['message.received'] }).expect(201);
      const channel = await connectWhatsapp(t, owner);
      const { conversation } = await customerConversation(t, owner, channel.id, { from: '+447700900123', text: 'Hello' });
      const sent = await t.http().post(`/v1/workspaces/${owner.workspaceId}/conversations/${conversation.id}/messages`).set(owner.auth).send({ text: 'Hi!' }).expect(202);
      await settledMessage(t, owner, sent.body.id, 'sent');
      await receiver.waitFor((all) => all.some((r) => r.json?.workspaceId === owner.workspaceId));
      const until = Date.now() + 10_000;
      let text = '';
      while (Date.now() < until) {
        text = (await t.http().get('/metrics').expect(200)).text;
        if (/webhook_delivery_attempts_total\{outcome="succeeded"\} [1-9]/.test(text)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(text).toMatch(/webhook_delivery_attempts_total\{outcome="succeeded"\} [1-9]/);
      expect(text).toMatch(/webhook_ingest_total\{provider="whatsapp",outcome="stored"\} [1-9]/);
      expect(text).toMatch(/outbound_attempts_total\{provider="whatsapp",outcome="sent",error_class="none"\} [1-9]/);
      expect(text).toMatch(/queue_jobs\{queue="webhook-deliveries",state="waiting"\} \d+/);
      expect(text).toMatch(/queue_jobs\{queue="outbound",state="delayed"\} \d+/);
      expect(text).toMatch(/queue_job_duration_seconds_count\{queue="outbound",job="outbound.send",outcome="completed"\} [1-9]/);
      expect(text).toMatch(/queue_job_duration_seconds_count\{queue="webhook-deliveries",job="webhook-delivery.deliver",outcome="completed"\} [1-9]/);
      expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/v1\/workspaces\/:wid\/webhook-subscriptions",status_code="201"\} [1-9]/);

      // An unverifiable provider call is counted too.
      await t.http().post(`/v1/webhooks/whatsapp/${channel.id}`).set('content-type', 'application/json').set('X-Hub-Signature-256', 'sha256=00').send('{}').expect(401);
      expect((await t.http().get('/metrics')).text).toMatch(/webhook_ingest_total\{provider="whatsapp",outcome="invalid_signature"\} [1-9]/);
    } finally {
      await receiver.close();
    }
  });
});
