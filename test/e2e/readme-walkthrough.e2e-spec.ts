import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForLedger } from '../utils/channels';
import { Account, uniqueEmail } from '../utils/factories';
import { settledMessage } from '../utils/outbound';
import { Answer, answerTo, readWalkthrough, runStep, WalkthroughStep } from '../utils/readme-walkthrough';
import { startApp, TestApp } from '../utils/test-app';

const README = join(__dirname, '../../README.md');
const README_OWNER = 'owner@acme.example';
const SIGNUP = 'POST /v1/auth/signup';
const CONNECT = 'POST /v1/workspaces/$WID/channels';
const INBOUND = /^POST \/sandbox\/channels\/\$([A-Z_]+)\/inbound$/;
const PROVIDER_STATUS = /^POST \/sandbox\/channels\/\$([A-Z_]+)\/status$/;
const REPLY = 'GET /v1/workspaces/$WID/messages/$REPLY_ID';

/**
 * Reads README.md's walk-through and runs its curl commands against the test app, binding the
 * variables its comments say to keep; then checks what the walk-through promises: one contact, one
 * conversation with both channels, the messages in order, and search finding "invoice".
 */
describe('README walk-through: a customer on two channels is one conversation', () => {
  let t: TestApp;
  let steps: WalkthroughStep[];
  beforeAll(async () => {
    // Read first: a walk-through the test cannot parse fails before anything runs.
    steps = readWalkthrough(readFileSync(README, 'utf8'));
    t = await startApp();
  });
  afterAll(() => t?.close());

  it('runs the documented commands', async () => {
    // The one change to the README's commands: the suites of a run share one database, where a
    // second sign-up with owner@acme.example would be refused, so this run's owner gets its own email.
    const signup = steps.find((s) => s.route === SIGNUP);
    expect(signup?.json.email).toBe(README_OWNER);
    const ownerEmail = uniqueEmail('owner');
    signup!.json = { ...signup!.json, email: ownerEmail };
    signup!.body = JSON.stringify(signup!.json);

    const vars: Record<string, string> = {};
    const answers: Answer[] = [];
    let owner: Account | undefined;
    let replyReads = 0;
    for (const step of steps) {
      // "A moment later it is sent": the first read of the reply waits for the worker's send.
      if (step.route === REPLY && replyReads++ === 0) await settledMessage(t, owner!, vars.REPLY_ID, 'sent');
      const answer = await runStep(t.url, step, vars);
      answers.push(answer);
      if (step === signup) {
        const { user, workspace, accessToken, refreshToken } = answer.body;
        owner = { userId: user.id, email: ownerEmail, workspaceId: workspace.id, accessToken, refreshToken, auth: { Authorization: `Bearer ${accessToken}` } };
      }
      // "Processing takes a moment": the sandbox answers once the webhook is stored, and a Bull job
      // turns it into a message; the test waits for that job where a reader would wait a moment.
      const signed = INBOUND.exec(step.route) ?? PROVIDER_STATUS.exec(step.route);
      if (signed) await untilProcessed(owner!, vars[signed[1]], answer);
    }

    const connected = (type: string) => {
      const found = answers.filter((a) => a.step.route === CONNECT && a.step.json.type === type);
      expect(found).toHaveLength(1);
      return found[0].body.id as string;
    };
    const channelIds = { whatsapp: connected('whatsapp'), email: connected('email') };
    const contact = answerTo(answers, 'POST /v1/workspaces/$WID/contacts').body;

    // The walk-through does not list contacts; the test asks, to hold it to "one customer".
    const contacts = await t.http().get(`/v1/workspaces/${vars.WID}/contacts`).set(owner!.auth).expect(200);
    expect(contacts.body.data.map((c: { id: string }) => c.id)).toEqual([contact.id]);

    const conversations = answerTo(answers, 'GET /v1/workspaces/$WID/conversations').body.data;
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({ id: vars.CONVERSATION_ID, contact: { id: contact.id, name: 'Jane Doe' }, status: 'open' });
    expect(conversations[0].channels.map((c: { type: string; channelId: string }) => [c.type, c.channelId]).sort()).toEqual([
      ['email', channelIds.email],
      ['whatsapp', channelIds.whatsapp],
    ]);

    // In the order Jane wrote them, on the channel she used, with the README's texts.
    const written = answers.flatMap((a) => {
      const inbound = INBOUND.exec(a.step.route);
      return inbound ? [[vars[inbound[1]], a.step.json.text]] : [];
    });
    expect(written.map(([channelId]) => channelId)).toEqual([channelIds.whatsapp, channelIds.email]);
    const messages = answerTo(answers, 'GET /v1/workspaces/$WID/conversations/$CONVERSATION_ID/messages').body.data;
    expect(messages.map((m: { channelId: string; text: string }) => [m.channelId, m.text])).toEqual(written);
    expect(messages.map((m: { type: string }) => m.type)).toEqual(['text', 'email']);

    const search = answerTo(answers, 'GET /v1/workspaces/$WID/search?q=invoice').body.data;
    expect(search).toEqual([expect.objectContaining({ type: 'message', id: messages[1].id, conversationId: vars.CONVERSATION_ID })]);

    // The reply went out on WhatsApp and the provider's reports moved it to delivered, then read.
    const reads = answers.filter((a) => a.step.route === REPLY).map((a) => a.body);
    expect(reads).toHaveLength(2);
    expect(reads[0]).toMatchObject({ id: vars.REPLY_ID, channelId: channelIds.whatsapp, status: 'sent', providerMessageId: vars.WAMID });
    expect(reads[1].status).toBe('read');
    expect(reads[1].statusHistory.map((h: { status: string }) => h.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
  });

  async function untilProcessed(owner: Account, channelId: string, delivery: Answer) {
    expect(delivery.body).toMatchObject({ webhookStatus: 200, webhookResponse: { duplicate: false } });
    const eventId = delivery.body.webhookResponse.eventId;
    const events = await waitForLedger(t, owner, channelId, (e) => e.some((x) => x.id === eventId && x.status !== 'pending'));
    expect(events.find((x) => x.id === eventId)).toMatchObject({ status: 'processed' });
  }
});

describe('reading the README walk-through', () => {
  const readme = (...commands: string[]) => ['# Nanozons', '## Walk-through: test', '```bash', ...commands, '```', '## Next'].join('\n');

  it.each([
    ['curl -s --fail $BASE/v1/health', 'README.md:5: the test does not understand the curl option --fail'],
    ['curl -s $BASE/v1/workspaces/$WID/channels', 'README.md:5: uses $WID, but no earlier comment says "keep <field> as WID"'],
    ['# keep the id as WID\ncurl -s $BASE/v1/auth/signup', 'README.md:5: cannot read "keep the id as WID"'],
    ["curl -s -X POST $BASE/v1/auth/signup \\\n  -d '{\"email\":}'", 'README.md:5: the -d body is not JSON'],
    ["curl -s -X POST $BASE/v1/x -d '{\"id\":\"'$ID'\"}'", 'README.md:5: uses $ID, but no earlier comment says "keep <field> as ID"'],
    ['curl -s $BASE/v1/health | jq .', 'README.md:5: shell syntax | is not supported'],
    ['http $BASE/v1/health', 'README.md:5: the test runs only curl commands and # comments'],
    ['curl -s localhost:3000/v1/health', 'README.md:5: the URL must start with $BASE/'],
  ])('refuses %j', (command, message) => {
    expect(() => readWalkthrough(readme('BASE=http://localhost:3000', command))).toThrow(message);
  });

  it('wants the port written once, in BASE, before the first command', () => {
    expect(() => readWalkthrough(readme('curl -s $BASE/v1/health'))).toThrow('README.md:4: set BASE=http://localhost:3000 before the first command');
  });
});
