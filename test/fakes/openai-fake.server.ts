import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** How the fake answers the next request: a status with a body and headers, after an optional delay. */
export interface ScriptedResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** A chat-completions success with token usage. */
export const completion = (content: string, usage = { prompt_tokens: 42, completion_tokens: 7 }): ScriptedResponse => ({
  status: 200,
  body: { id: 'chatcmpl-test', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage },
});

/**
 * A loopback OpenAI-style server (real HTTP) for tests: it records every request and answers from
 * a script, one entry per request, then with the default answer.
 */
export class OpenAiFakeServer {
  readonly requests: RecordedRequest[] = [];
  private script: ScriptedResponse[] = [];
  private fallback: ScriptedResponse = completion('Hello from the fake model.');
  private readonly pending = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OpenAiFakeServer> {
    const server = createServer();
    const fake = new OpenAiFakeServer(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The API root to use as AI_BASE_URL. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Answers the next requests with these, in order; afterwards with `fallback`. */
  respond(...responses: ScriptedResponse[]): void {
    this.script.push(...responses);
  }

  setDefault(response: ScriptedResponse): void {
    this.fallback = response;
  }

  reset(): void {
    this.requests.length = 0;
    this.script = [];
    this.fallback = completion('Hello from the fake model.');
  }

  async close(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // recorded as text
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
    const answer = this.script.shift() ?? this.fallback;
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    };
    if (!answer.delayMs) return send();
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      send();
    }, answer.delayMs);
    this.pending.add(timer);
  }
}
