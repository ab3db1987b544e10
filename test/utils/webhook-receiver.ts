import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  status: number;
}

/**
 * A loopback receiver of signed webhooks: records every request and answers with the next status
 * of `script` (then `fallback`), so a test can make it fail a few times and recover.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private script: number[] = [];
  private fallback = 200;
  private server!: Server;

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    r.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = r.script.shift() ?? r.fallback;
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        r.received.push({ headers: req.headers, body, json, status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    return r;
  }

  get url(): string {
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}/hook` : '';
  }

  /** Answers these statuses first, then `fallback` for every later request. */
  respond(statuses: number[], fallback = 200): void {
    this.script = [...statuses];
    this.fallback = fallback;
  }

  of(event: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.json?.event === event);
  }

  async waitFor(predicate: (all: ReceivedWebhook[]) => boolean, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > until) throw new Error(`webhook receiver: condition not met; got ${JSON.stringify(this.received.map((r) => [r.json?.event, r.status]))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.received;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Verifies `X-Nanozons-Signature` as an integrator would, written from API.md alone (not from the
 * app's signer): some `v1=` must equal hex HMAC-SHA256(secret, t + "." + raw body).
 */
export function verifySignature(header: string | string[] | undefined, body: string, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const parts = header.split(',').map((p) => p.split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  if (!t) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return parts.filter(([k]) => k === 'v1').some(([, v]) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
