import { randomInt } from 'node:crypto';
import { connectWhatsapp } from '../utils/channels';
import { contactWith, conversationOf, sandboxInbound } from '../utils/conversations';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

type Json = Record<string, any>;

jest.setTimeout(30_000);

/** Template parameters are checked against the stored template's header, body and buttons before any provider call. */
describe('template parameters on send', () => {
  let t: TestApp;
  let owner: Account;
  let wa: Awaited<ReturnType<typeof connectWhatsapp>>;
  let conversationId: string;
  let waId: string;

  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;
  const graphSends = async () =>
    ((await t.http().get('/sandbox/requests?provider=whatsapp').expect(200)).body.data as Json[]).filter((r) => r.path.includes('/messages') && r.body?.to === `+${waId}`).length;
  const send = (template: Json) => t.http().post(ws(`/conversations/${conversationId}/messages`)).set(owner.auth).send({ template });

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
    wa = await connectWhatsapp(t, owner);
    const template = (name: string, components: Json[]) =>
      t.http().post(ws(`/channels/${wa.id}/templates`)).set(owner.auth).send({ name, language: 'en', category: 'UTILITY', status: 'approved', components }).expect(201);
    await template('order_shipped', [
      { type: 'BODY', text: 'Your order {{1}} ships today.' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+4930123456' },
          { type: 'QUICK_REPLY', text: 'Reschedule' },
          { type: 'URL', text: 'Track', url: 'https://shop.example/track/{{1}}' },
        ],
      },
    ]);
    await template('invoice_ready', [{ type: 'HEADER', format: 'DOCUMENT' }, { type: 'BODY', text: 'Your invoice is ready.' }]);
  });
  // A contact per test, so an accepted send of one test reaching the sandbox later never counts in the next.
  beforeEach(async () => {
    waId = `49154${randomInt(10_000_000, 99_999_999)}`;
    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'Where is my order?' });
    conversationId = (await conversationOf(t, owner, (await contactWith(t, owner, waId)).id)).id;
  });
  afterAll(() => t.close());

  async function expectInvalid(template: Json, detail: RegExp) {
    const before = await graphSends();
    const res = await send(template);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'template_params_invalid' });
    expect(res.body.detail).toMatch(detail);
    expect(await graphSends()).toBe(before);
  }

  it('a dynamic URL button needs its parameter: missing → 422 before any provider call', async () => {
    await expectInvalid({ name: 'order_shipped', language: 'en', parameters: { body: ['#1042'] } }, /buttons need 2/);
    await expectInvalid({ name: 'order_shipped', language: 'en', parameters: { body: ['#1042'], buttons: ['RESCHEDULE'] } }, /buttons need 2/);
    await expectInvalid({ name: 'order_shipped', language: 'en', parameters: { body: ['#1042'], buttons: ['RESCHEDULE', '1042', 'extra'] } }, /buttons accept 2/);
    await send({ name: 'order_shipped', language: 'en', parameters: { body: ['#1042'], buttons: ['RESCHEDULE', '1042'] } }).expect(202);
  });

  it('the Graph API gets each button parameter at its template index and a media header as media', async () => {
    const graphBody = async (messageId: string) => {
      for (let i = 0; i < 100; i++) {
        const message = (await t.http().get(ws(`/messages/${messageId}`)).set(owner.auth).expect(200)).body;
        if (message.status !== 'queued') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const calls = ((await t.http().get('/sandbox/requests?provider=whatsapp').expect(200)).body.data as Json[]).filter((r) => r.path.includes('/messages') && r.body?.to === `+${waId}`);
      return calls.at(-1)?.body;
    };
    const shipped = await send({ name: 'order_shipped', language: 'en', parameters: { body: ['#1042'], buttons: ['RESCHEDULE', '1042'] } }).expect(202);
    expect((await graphBody(shipped.body.id)).template).toEqual({
      name: 'order_shipped',
      language: { code: 'en' },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: '#1042' }] },
        { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'RESCHEDULE' }] },
        { type: 'button', sub_type: 'url', index: '2', parameters: [{ type: 'text', text: '1042' }] },
      ],
    });
    const invoice = await send({ name: 'invoice_ready', language: 'en', parameters: { header: ['https://cdn.example/invoices/1042.pdf'] } }).expect(202);
    expect((await graphBody(invoice.body.id)).template.components).toEqual([
      { type: 'header', parameters: [{ type: 'document', document: { link: 'https://cdn.example/invoices/1042.pdf', filename: '1042.pdf' } }] },
    ]);
  });

  it('a media header takes exactly one http(s) URL', async () => {
    await expectInvalid({ name: 'invoice_ready', language: 'en' }, /header expects 1/);
    await expectInvalid({ name: 'invoice_ready', language: 'en', parameters: { header: ['Invoice 1042'] } }, /document header parameter must be an http\(s\) URL/);
    await send({ name: 'invoice_ready', language: 'en', parameters: { header: ['https://cdn.example/invoices/1042.pdf'] } }).expect(202);
  });
});
