import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchBytes, fetchJson, getCI, parseDate, redact, safeEqual } from './adapter-utils';
import { ProviderError } from './normalized';

describe('adapter-utils', () => {
  describe('safeEqual', () => {
    it('matches equal strings only, whatever their lengths', () => {
      expect(safeEqual('s3cret', 's3cret')).toBe(true);
      expect(safeEqual('s3cret', 's3cre')).toBe(false);
      expect(safeEqual('s3cret', 's3cret-and-more')).toBe(false);
      expect(safeEqual('äöå', 'äöå')).toBe(true);
    });

    it('never matches missing or empty values', () => {
      expect(safeEqual(undefined, undefined)).toBe(false);
      expect(safeEqual('', '')).toBe(false);
      expect(safeEqual('x', undefined)).toBe(false);
    });
  });

  it('getCI prefers the exact key, then any casing', () => {
    expect(getCI({ MessageId: 'a' }, 'MessageID')).toBe('a');
    expect(getCI({ MessageID: 'exact', messageid: 'other' }, 'MessageID')).toBe('exact');
    expect(getCI(null, 'x')).toBeUndefined();
    expect(getCI(['a'], '0')).toBeUndefined();
  });

  it('parseDate strips RFC 2822 comments and rejects garbage', () => {
    expect(parseDate('Tue, 4 Mar 2025 09:15:27 +0100 (CET)')?.toISOString()).toBe('2025-03-04T08:15:27.000Z');
    expect(parseDate('not a date')).toBeUndefined();
    expect(parseDate(42)).toBeUndefined();
  });

  it('redact removes every occurrence of each secret', () => {
    expect(redact('token abc and abc', ['abc', undefined])).toBe('token [redacted] and [redacted]');
  });

  describe('fetchJson failures', () => {
    afterEach(() => jest.restoreAllMocks());
    const classify = () => ({ retryable: false, code: 'x', message: 'x' });

    it('turns a timeout into a retryable network_error', async () => {
      jest.spyOn(global, 'fetch').mockRejectedValue(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      const error = (await fetchJson('http://127.0.0.1/secret-token/x', {}, classify).catch((e: unknown) => e)) as ProviderError;
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.classification).toEqual({ retryable: true, code: 'network_error', message: 'provider request timed out' });
    });

    it('a 2xx non-JSON body is a permanent invalid_response (the provider may have acted)', async () => {
      jest.spyOn(global, 'fetch').mockResolvedValue(new Response('<html>ok</html>', { status: 200 }));
      await expect(fetchJson('http://127.0.0.1/x', {}, classify)).rejects.toMatchObject({
        classification: { retryable: false, code: 'invalid_response' },
      });
    });

    it('passes the parsed error body to the classifier and redacts secrets', async () => {
      jest.spyOn(global, 'fetch').mockResolvedValue(new Response(JSON.stringify({ msg: 'bad tok-123' }), { status: 400 }));
      const seen: unknown[] = [];
      const error = (await fetchJson('http://127.0.0.1/x', { secrets: ['tok-123'] }, (status, body) => {
        seen.push(status, body);
        return { retryable: false, code: 'bad', message: (body as { msg: string }).msg };
      }).catch((e: unknown) => e)) as ProviderError;
      expect(seen).toEqual([400, { msg: 'bad tok-123' }]);
      expect(error.message).toBe('bad [redacted]');
      expect(error.httpStatus).toBe(400);
    });
  });

  describe('fetchBytes size limit', () => {
    const classify = () => ({ retryable: false, code: 'x', message: 'x' });
    let respond: (res: ServerResponse) => void;
    let closed: Promise<void>;
    const server = createServer((_req, res) => {
      closed = new Promise((resolve) => res.once('close', resolve));
      respond(res);
    });
    let url = '';
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/media`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('returns a body within the limit with its content type', async () => {
      respond = (res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(1000, 7));
      const file = await fetchBytes(url, {}, classify, 1000);
      expect(file).toEqual({ data: Buffer.alloc(1000, 7), contentType: 'image/jpeg' });
    });

    it('refuses a declared Content-Length over the limit without waiting for the body', async () => {
      // Only the headers are ever sent: reading the body first would hang until the test times out.
      respond = (res) => res.writeHead(200, { 'content-length': '5000' }).flushHeaders();
      await expect(fetchBytes(url, {}, classify, 1000)).rejects.toMatchObject({ classification: { retryable: false, code: 'media_too_large' } });
      await closed;
    });

    it('cancels an endless chunked body once the bytes read pass the limit', async () => {
      let sent = 0;
      respond = (res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const timer = setInterval(() => {
          sent += 512;
          res.write(Buffer.alloc(512));
        }, 2);
        res.once('close', () => clearInterval(timer));
      };
      await expect(fetchBytes(url, {}, classify, 4096)).rejects.toMatchObject({ classification: { retryable: false, code: 'media_too_large' } });
      await closed;
      expect(sent).toBeLessThan(64 * 1024);
    });
  });
});
