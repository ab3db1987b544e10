import { createServer, Server } from 'node:http';
import { MAX_RESPONSE_BYTES, sendWebhook } from './webhook-sender';

/** A real loopback receiver: the sender's guard, redirects, caps and timeouts against actual sockets. */
describe('sendWebhook', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/redirect') return res.writeHead(302, { location: 'http://127.0.0.1/elsewhere' }).end();
      if (req.url === '/big') return res.writeHead(500).end('x'.repeat(MAX_RESPONSE_BYTES * 4));
      if (req.url === '/slow') return; // never answers
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (hits.length = 0));

  const send = (path: string, host = '127.0.0.1', allowPrivate = true, timeoutMs = 2000) =>
    sendWebhook({ url: `http://${host}:${port}${path}`, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs, allowPrivate });

  it('posts and reports a 2xx as success', async () => {
    expect(await send('/ok')).toMatchObject({ ok: true, responseCode: 204, error: null });
    expect(hits).toEqual(['/ok']);
  });

  it('re-checks names after DNS resolution: localhost resolves to loopback and is never connected to', async () => {
    const result = await send('/ok', 'localhost', false);
    expect(result).toMatchObject({ ok: false, responseCode: null, error: expect.stringMatching(/^refused: localhost resolves to 127\.0\.0\.1/) });
    expect(hits).toEqual([]);
  });

  it('refuses loopback literals, in any IPv4 notation, before connecting', async () => {
    for (const host of ['127.0.0.1', '2130706433', '0x7f000001', '[::ffff:127.0.0.1]']) {
      expect((await send('/ok', host, false)).error).toMatch(/^refused: /);
    }
    expect(hits).toEqual([]);
  });

  it('does not follow redirects', async () => {
    expect(await send('/redirect')).toMatchObject({ ok: false, responseCode: 302, error: expect.stringContaining('not followed') });
    expect(hits).toEqual(['/redirect']);
  });

  it('reads at most the capped answer and times out a silent receiver', async () => {
    const big = await send('/big');
    expect(big).toMatchObject({ ok: false, responseCode: 500 });
    expect(big.error!.length).toBeLessThan(600);
    expect(await send('/slow', '127.0.0.1', true, 200)).toMatchObject({ ok: false, responseCode: null, error: 'timed out after 200 ms' });
  });
});
