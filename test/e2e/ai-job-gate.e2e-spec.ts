import { OpenAiFakeServer } from '../fakes/openai-fake.server';
import { requestArtifact, settledArtifact } from '../utils/ai';
import { connectEmail } from '../utils/channels';
import { contactWith } from '../utils/conversations';
import { signup, uniqueEmail } from '../utils/factories';
import { customerConversation } from '../utils/outbound';
import { startApp, TestApp } from '../utils/test-app';

jest.setTimeout(60_000);

/**
 * The gate is checked again when the job runs: an API process accepts the requests while no
 * worker runs, AI is switched off (or the contact restricted) meanwhile, then a worker starts.
 */
describe('AI gate at job time', () => {
  let fake: OpenAiFakeServer;
  let api: TestApp;
  let worker: TestApp | undefined;

  beforeAll(async () => {
    fake = await OpenAiFakeServer.start();
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await fake.close();
  });

  it('a job finds AI off or the contact restricted → failed with that reason, and the provider is never called', async () => {
    const env = { AI_BASE_URL: fake.baseUrl, AI_API_KEY: 'sk-job-gate', AI_MODEL: 'gpt-test' };
    api = await startApp({ ...env, APP_ROLE: 'api' });
    // A first worker processes the customers' inbound webhooks, then stops before any AI request.
    const inboundWorker = await startApp({ ...env, APP_ROLE: 'worker' });
    const disabled = await signup(api, 'disabled');
    const restricted = await signup(api, 'restricted');
    const customer = async (owner: typeof disabled) => {
      const email = await connectEmail(api, owner);
      const from = uniqueEmail('customer');
      const { conversation } = await customerConversation(api, owner, email.id, { from, text: 'Hello, where is my order?' });
      return { owner, from, conversation };
    };
    const customers = [await customer(disabled), await customer(restricted)];
    await inboundWorker.close();
    const [off, held] = await Promise.all(customers.map(async (c) => ({ ...c, artifact: await requestArtifact(api, c.owner, c.conversation.id, 'draft') })));
    await api.http().patch(`/v1/workspaces/${disabled.workspaceId}`).set(disabled.auth).send({ settings: { aiEnabled: false } }).expect(200);
    const contact = await contactWith(api, restricted, held.from);
    await api.http().patch(`/v1/workspaces/${restricted.workspaceId}/contacts/${contact.id}`).set(restricted.auth).send({ processingRestricted: true }).expect(200);
    expect((await api.http().get(`/v1/workspaces/${disabled.workspaceId}/ai/artifacts/${off.artifact.id}`).set(disabled.auth).expect(200)).body.status).toBe('pending');

    worker = await startApp({ ...env, APP_ROLE: 'worker' });
    const failedOff = await settledArtifact(api, disabled, off.artifact.id);
    const failedHeld = await settledArtifact(api, restricted, held.artifact.id);
    expect(failedOff).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^ai_disabled/) });
    expect(failedHeld).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^processing_restricted/) });
    expect(fake.requests).toHaveLength(0);
  });
});
