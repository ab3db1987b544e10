import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueEmail } from '../utils/factories';
import { Answer, answerTo, readWalkthrough, runStep, WalkthroughStep } from '../utils/readme-walkthrough';
import { startApp, TestApp } from '../utils/test-app';

const README = join(__dirname, '../../README.md');
const TUTORIAL = '## Tutorial: receive a signed webhook';
const SUBSCRIBE = 'POST /v1/workspaces/$WID/webhook-subscriptions';

/** The one ```js block of the README section starting with `heading`. */
function jsBlock(markdown: string, heading: string): string {
  const section = markdown.slice(markdown.indexOf(`\n${heading}`) + 1);
  const body = section.slice(0, section.indexOf('\n## ') === -1 ? undefined : section.indexOf('\n## '));
  const blocks = [...body.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length !== 1) throw new Error(`README section "${heading}" needs exactly one \`\`\`js block, found ${blocks.length}`);
  return blocks[0];
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/**
 * Runs README.md's webhook tutorial as written: its verify.mjs and receiver.mjs with node, its curl
 * commands against the test app. The receiver must print that it verified the signed delivery.
 */
describe('README tutorial: receive and verify a signed webhook', () => {
  let t: TestApp;
  let steps: WalkthroughStep[];
  let dir: string;
  let receiver: ChildProcess | undefined;
  let output = '';
  beforeAll(async () => {
    const markdown = readFileSync(README, 'utf8');
    steps = readWalkthrough(markdown, TUTORIAL);
    dir = mkdtempSync(join(tmpdir(), 'nanozons-readme-webhook-'));
    writeFileSync(join(dir, 'verify.mjs'), jsBlock(markdown, '## Webhooks and live events'));
    writeFileSync(join(dir, 'receiver.mjs'), jsBlock(markdown, TUTORIAL));
    t = await startApp({ ALLOW_PRIVATE_WEBHOOK_URLS: 'true' });
  });
  afterAll(async () => {
    receiver?.kill();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const until = async (what: string, done: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${what}; receiver printed: ${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('runs the documented receiver and commands', async () => {
    // The changes to the README's commands: this run's own email (the suites share a database) and
    // the receiver's port (a free one instead of 4000).
    const port = await freePort();
    const signup = steps[0];
    expect(signup.route).toBe('POST /v1/auth/signup');
    signup.body = JSON.stringify({ ...signup.json, email: uniqueEmail('dev') });
    const subscribe = steps.find((s) => s.route === SUBSCRIBE)!;
    expect(subscribe.json.url).toBe('http://localhost:4000/nanozons');
    subscribe.body = JSON.stringify({ ...subscribe.json, url: `http://localhost:${port}/nanozons` });

    const vars: Record<string, string> = {};
    const answers: Answer[] = [];
    for (const step of steps) {
      answers.push(await runStep(t.url, step, vars));
      if (step === subscribe) {
        // Step 3 of the tutorial: the receiver, started with the secret just shown.
        receiver = spawn(process.execPath, ['receiver.mjs'], { cwd: dir, env: { ...process.env, WEBHOOK_SECRET: vars.WEBHOOK_SECRET, PORT: String(port) } });
        receiver.stdout!.on('data', (c: Buffer) => (output += c.toString()));
        receiver.stderr!.on('data', (c: Buffer) => (output += c.toString()));
        await until('the receiver did not start', () => output.includes('listening'));
      }
      if (step.route === 'POST /v1/workspaces/$WID/contacts') await until('no verified delivery', () => /verified contact\.created /.test(output));
    }

    const deliveryId = /verified contact\.created (\S+)/.exec(output)![1];
    expect(output).not.toContain('REJECTED');
    const log = answerTo(answers, 'GET /v1/workspaces/$WID/webhook-subscriptions/$SUBSCRIPTION_ID/deliveries').body.data;
    expect(log).toEqual([expect.objectContaining({ id: deliveryId, event: 'contact.created', status: 'succeeded', responseCode: 204, attempts: 1 })]);
  });

  it('the documented verify() refuses a wrong secret, a tampered body and an old timestamp', async () => {
    const { verify } = (await import(join(dir, 'verify.mjs'))) as { verify: (h: string | undefined, b: string, s: string) => boolean };
    const { createHmac } = await import('node:crypto');
    const body = '{"id":"x"}';
    const sign = (t: number, secret: string, raw = body) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    expect(verify(sign(now, 's1'), body, 's1')).toBe(true);
    expect(verify(`${sign(now, 'old')},v1=${sign(now, 's1').split('v1=')[1]}`, body, 's1')).toBe(true);
    expect(verify(sign(now, 's2'), body, 's1')).toBe(false);
    expect(verify(sign(now, 's1'), '{"id":"y"}', 's1')).toBe(false);
    expect(verify(sign(now - 3600, 's1'), body, 's1')).toBe(false);
    expect(verify(undefined, body, 's1')).toBe(false);
  });
});
