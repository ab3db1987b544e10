import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake provider received it. */
export interface RecordedRequest {
  method: string;
  /** Path plus query string, exactly as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeResponse {
  status?: number;
  /** Serialized as the JSON body (Content-Type application/json). */
  json?: unknown;
  /** Raw body, used when `json` is absent. */
  body?: Buffer | string;
  headers?: Record<string, string>;
}

type Responder = FakeResponse | ((req: RecordedRequest, server: FakeProviderServer) => FakeResponse);

/**
 * Throwaway HTTP server on 127.0.0.1:0 standing in for a provider API in tests.
 * Routes match method + exact path (query included); a route's responses are
 * served in order and the last one repeats. Unmatched requests get a 404.
 */
export class FakeProviderServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Responder[]>();
  private server?: Server;
  private baseUrl = '';

  static async start(): Promise<FakeProviderServer> {
    const fake = new FakeProviderServer();
    await fake.listen();
    return fake;
  }

  /** e.g. `http://127.0.0.1:41234` */
  get url(): string {
    return this.baseUrl;
  }

  on(method: string, path: string, ...responses: Responder[]): this {
    this.routes.set(`${method.toUpperCase()} ${path}`, responses);
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.routes.clear();
  }

  /** A URL on a port that was free a moment ago, so connecting is refused (a network failure). */
  static async unreachableUrl(): Promise<string> {
    const probe = await FakeProviderServer.start();
    const url = probe.url;
    await probe.close();
    return url;
  }

  /** Parses a recorded body as JSON. */
  static json(req: RecordedRequest): unknown {
    return JSON.parse(req.body.toString('utf8')) as unknown;
  }

  /** Parses a recorded multipart/form-data body with the platform's own parser. */
  static async formData(req: RecordedRequest): Promise<FormData> {
    return new Response(new Uint8Array(req.body), {
      headers: { 'content-type': String(req.headers['content-type']) },
    }).formData();
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  private respond(recorded: RecordedRequest): FakeResponse {
    const queue = this.routes.get(`${recorded.method} ${recorded.path}`);
    if (!queue?.length) return { status: 404, json: { error: `no fake route for ${recorded.method} ${recorded.path}` } };
    const next = queue.length > 1 ? queue.shift()! : queue[0];
    return typeof next === 'function' ? next(recorded, this) : next;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        this.requests.push(recorded);
        const answer = this.respond(recorded);
        const isJson = answer.json !== undefined;
        const body = isJson ? JSON.stringify(answer.json) : (answer.body ?? '');
        res.writeHead(answer.status ?? 200, {
          ...(isJson ? { 'content-type': 'application/json' } : {}),
          ...answer.headers,
        });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }
}
