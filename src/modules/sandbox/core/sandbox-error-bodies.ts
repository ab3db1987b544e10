import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { SandboxJsonResult, SandboxProvider } from './sandbox.types';

/** Postmark's error envelope: `{ErrorCode, Message}`. */
export function postmarkError(status: number, errorCode: number, message: string): SandboxJsonResult {
  return { status, json: { ErrorCode: errorCode, Message: message } };
}

/** Graph's error envelope; `message` follows Graph's `(#code) title` convention. */
export function graphError(status: number, code: number, title: string, details?: string): SandboxJsonResult {
  return {
    status,
    json: {
      error: {
        message: `(#${code}) ${title}`,
        type: 'OAuthException',
        code,
        ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
  };
}

/** Telegram's error envelope; the HTTP status mirrors `error_code` as the real Bot API does. */
export function telegramError(status: number, description: string, parameters?: Record<string, unknown>): SandboxJsonResult {
  return { status, json: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) } };
}

/** A provider-shaped error for a status, used for faults queued without a body and for internal failures. */
export function defaultErrorFor(provider: SandboxProvider, status: number, message?: string): SandboxJsonResult {
  const text = message ?? STATUS_CODES[status] ?? 'Error';
  switch (provider) {
    case 'postmark':
      return postmarkError(status, status === 429 ? 429 : status >= 500 ? 100 : 300, text);
    case 'whatsapp':
      return graphError(status, status === 429 ? 130429 : status === 401 ? 190 : status >= 500 ? 131000 : 100, text);
    case 'telegram':
      return telegramError(status, status === 429 ? 'Too Many Requests: retry after 1' : text, status === 429 ? { retry_after: 1 } : undefined);
  }
}
