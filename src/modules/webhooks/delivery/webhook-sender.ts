import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { blockedAddressReason, hostAddress } from './url-guard';

/** Bytes of a receiver's answer kept (as `lastError` context); the rest is not read. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface WebhookAttemptResult {
  ok: boolean;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * DNS lookup that refuses private answers: the socket connects to exactly the address checked here,
 * so a name cannot pass the check and then resolve inward (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = allowPrivate ? undefined : addresses.map((a) => blockedAddressReason(a.address)).find(Boolean);
      if (refused) return callback(Object.assign(new Error(`refused: ${hostname} resolves to ${refused}`), { code: 'EBLOCKED' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * One POST to a receiver: no redirects followed (a 3xx is a failure), the answer read up to
 * MAX_RESPONSE_BYTES, the whole exchange bounded by `timeoutMs`. Never throws.
 */
export function sendWebhook(req: WebhookRequest): Promise<WebhookAttemptResult> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  const url = new URL(req.url);
  const literal = hostAddress(url.hostname);
  const refused = literal && !req.allowPrivate ? blockedAddressReason(literal) : undefined;
  if (refused) return Promise.resolve({ ok: false, responseCode: null, error: `refused: ${refused}`, durationMs: 0 });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<WebhookAttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const options: RequestOptions = {
      method: 'POST',
      headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
      lookup: guardedLookup(req.allowPrivate),
      agent: false,
    };
    const client = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      const code = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_RESPONSE_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_RESPONSE_BYTES) res.destroy();
      });
      const done = () => {
        const text = Buffer.concat(chunks).subarray(0, 512).toString('utf8');
        if (code >= 200 && code < 300) return finish({ ok: true, responseCode: code, error: null });
        const why = code >= 300 && code < 400 ? `redirect to ${res.headers.location ?? '?'} not followed` : `HTTP ${code}`;
        finish({ ok: false, responseCode: code, error: text ? `${why}: ${text}` : why });
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    // Callbacks that call finish() run only after this line: none of them fires synchronously.
    const timer = setTimeout(() => {
      client.destroy();
      finish({ ok: false, responseCode: null, error: `timed out after ${req.timeoutMs} ms` });
    }, req.timeoutMs);
    client.on('error', (e) => finish({ ok: false, responseCode: null, error: e.message }));
    client.end(req.body);
  });
}
