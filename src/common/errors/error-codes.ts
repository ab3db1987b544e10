/** Stable problem+json `code`s (API.md) with their HTTP status. */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  invalid_signature: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  workspace_closed: 409,
  retry_not_allowed: 409,
  ai_disabled: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  whatsapp_window_closed: 422,
  template_required: 422,
  template_params_invalid: 422,
  contact_opted_out: 422,
  consent_required: 422,
  recipient_unreachable: 422,
  processing_restricted: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const TITLES: Partial<Record<ErrorCode, string>> = {
  validation_failed: 'Validation failed',
  unauthorized: 'Unauthorized',
  invalid_signature: 'Invalid signature',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal_error: 'Internal server error',
  service_unavailable: 'Service unavailable',
};

/** Fallback code for an HTTP status that carries no domain code. */
export function codeForStatus(status: number): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    400: 'validation_failed',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'not_found',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    503: 'service_unavailable',
  };
  return byStatus[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed');
}
