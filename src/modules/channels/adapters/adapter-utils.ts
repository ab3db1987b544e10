import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DEFAULT_MAX_FILE_BYTES } from '../../../infrastructure/storage';
import { ProviderError, type ProviderErrorClass } from './normalized';

// ---------------------------------------------------------------------------
// Constant-time comparison
// ---------------------------------------------------------------------------

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Constant-time string equality. Both sides are hashed first, so the compared
 * buffers always have the same length and neither the length nor a matching
 * prefix of the secret leaks through timing. Missing or empty values never match.
 */
export function safeEqual(actual: string | undefined, expected: string | undefined): boolean {
  if (!actual || !expected) return false;
  return timingSafeEqual(sha256(actual), sha256(expected));
}

export const hmacSha256Hex = (secret: string, data: Buffer): string =>
  createHmac('sha256', secret).update(data).digest('hex');

/** Header names arrive lower-cased per `WebhookRequest`; the scan is a fallback for callers that forget. */
export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  const direct = headers[wanted];
  const value =
    direct ?? Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

// ---------------------------------------------------------------------------
// Defensive readers for untrusted provider JSON
// ---------------------------------------------------------------------------

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  isRecord(value) ? value : undefined;

export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export const asRecords = (value: unknown): Record<string, unknown>[] =>
  asArray(value).filter(isRecord);

/** Strings as-is; numbers/bigints stringified (ids often arrive as either). Empty strings count as absent. */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  return undefined;
}

export function asNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * Case-insensitive property lookup. Postmark spells the same key differently
 * across payloads and SDK types (MessageID vs MessageId), so an exact match is
 * tried first and a case-folded scan second.
 */
export function getCI(obj: unknown, key: string): unknown {
  if (!isRecord(obj)) return undefined;
  if (key in obj) return obj[key];
  const folded = key.toLowerCase();
  const match = Object.keys(obj).find((k) => k.toLowerCase() === folded);
  return match === undefined ? undefined : obj[match];
}

/** Unix seconds (number or numeric string, as WhatsApp sends them) to a Date. */
export function dateFromUnixSeconds(value: unknown): Date | undefined {
  const seconds = asNumber(value);
  return seconds === undefined ? undefined : new Date(seconds * 1000);
}

/** Parses a provider date string; callers decide the fallback for garbage. */
export function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  // RFC 2822 dates may carry a trailing "(UTC)" comment that Date.parse rejects.
  const parsed = new Date(value.replace(/\([^)]*\)/g, '').trim());
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** Returns `obj` without its undefined-valued keys, so normalized objects and request bodies stay tidy. */
export function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

export const unique = (values: string[]): string[] => [...new Set(values)];

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

export const PROVIDER_TIMEOUT_MS = 15_000;

export type ErrorClassifier = (httpStatus: number, body: unknown) => ProviderErrorClass;

export interface ProviderRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A string is sent as-is (callers set Content-Type); FormData lets fetch set the multipart boundary. */
  body?: string | FormData;
  /** Values scrubbed from every error message (tokens may appear in URLs or echoed bodies). */
  secrets?: (string | undefined)[];
}

export function redact(text: string, secrets: (string | undefined)[] = []): string {
  return secrets.reduce<string>(
    (acc, secret) => (secret ? acc.split(secret).join('[redacted]') : acc),
    text,
  );
}

function providerError(
  classification: ProviderErrorClass,
  secrets: ProviderRequest['secrets'],
  httpStatus?: number,
): ProviderError {
  return new ProviderError(
    { ...classification, message: redact(classification.message, secrets) },
    httpStatus,
  );
}

/** Thrown for missing channel configuration: retrying cannot fix it. */
export const missingCredential = (name: string): ProviderError =>
  new ProviderError({ retryable: false, code: 'missing_credentials', message: `channel credential ${name} is not configured` });

export function requireCredential(value: string | undefined, name: string): string {
  if (!value) throw missingCredential(name);
  return value;
}

function networkError(error: unknown, secrets: ProviderRequest['secrets']): ProviderError {
  // Duck-typed rather than `instanceof Error`: fetch errors (DOMException, undici) may come from another realm.
  const { name, cause } = (isRecord(error) ? error : {}) as { name?: unknown; cause?: { code?: unknown } };
  const detail =
    name === 'TimeoutError' || name === 'AbortError'
      ? 'timed out'
      : `failed (${typeof cause?.code === 'string' ? cause.code : typeof name === 'string' && name ? name : 'unknown'})`;
  // The URL is deliberately left out: Telegram puts the bot token in the path.
  return providerError({ retryable: true, code: 'network_error', message: `provider request ${detail}` }, secrets);
}

function parseBodyText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * fetch with a 15 s timeout. Non-2xx answers become a ProviderError classified
 * by the adapter; network failures and timeouts become retryable `network_error`.
 */
export async function providerFetch(
  url: string,
  request: ProviderRequest,
  classify: ErrorClassifier,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
  } catch (error) {
    throw networkError(error, request.secrets);
  }
  if (response.ok) return response;
  const body = parseBodyText(await readText(response, request.secrets));
  throw providerError(classify(response.status, body), request.secrets, response.status);
}

async function readText(response: Response, secrets: ProviderRequest['secrets']): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw networkError(error, secrets);
  }
}

/** Like providerFetch but returns the parsed JSON body of a 2xx answer. */
export async function fetchJson(
  url: string,
  request: ProviderRequest,
  classify: ErrorClassifier,
): Promise<unknown> {
  const response = await providerFetch(url, request, classify);
  const text = await readText(response, request.secrets);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A 2xx with a non-JSON body may still mean the provider acted (e.g. sent the
    // message), so retrying could duplicate it: treat as permanent.
    throw providerError(
      { retryable: false, code: 'invalid_response', message: 'provider answered 2xx with a non-JSON body' },
      request.secrets,
      response.status,
    );
  }
}

/** Storage refuses larger files anyway, so a download stops as soon as it is known to exceed this. */
export const MAX_MEDIA_BYTES = DEFAULT_MAX_FILE_BYTES;

const mediaTooLarge = (limit: number): ProviderError =>
  new ProviderError({ retryable: false, code: 'media_too_large', message: `media exceeds the ${limit}-byte limit` });

/**
 * Downloads a 2xx body of at most `maxBytes`. A larger declared Content-Length is refused before
 * reading, and the transfer is cancelled once the bytes read pass the limit, so a huge or endless
 * body never sits in memory.
 */
export async function fetchBytes(
  url: string,
  request: ProviderRequest,
  classify: ErrorClassifier,
  maxBytes = MAX_MEDIA_BYTES,
): Promise<{ data: Buffer; contentType?: string }> {
  const response = await providerFetch(url, request, classify);
  const contentType = response.headers.get('content-type') ?? undefined;
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw mediaTooLarge(maxBytes);
  }
  const data = await readCapped(response, maxBytes, request.secrets);
  if (!data) throw mediaTooLarge(maxBytes);
  return { data, contentType };
}

/** The body, or null once it passes `maxBytes` (the rest is not read). */
async function readCapped(response: Response, maxBytes: number, secrets: ProviderRequest['secrets']): Promise<Buffer | null> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(next.value);
    }
  } catch (error) {
    throw networkError(error, secrets);
  }
  return Buffer.concat(chunks, size);
}

/** Copies a Buffer into a Blob for multipart uploads (FormData wants a Blob backed by a plain ArrayBuffer). */
export const toBlob = (data: Buffer, contentType: string): Blob =>
  new Blob([Uint8Array.from(data)], { type: contentType });
