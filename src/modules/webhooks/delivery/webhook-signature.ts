import { createHmac, randomBytes } from 'node:crypto';

/** A new signing secret: shown once on create and rotate, stored only encrypted. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

const v1 = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/**
 * `X-Nanozons-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`, with one `v1=` per
 * secret that still signs (the current one first, then the pre-rotation one during its overlap).
 */
export function signatureHeader(secrets: readonly string[], body: string, at: Date): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${v1(s, timestamp, body)}`)].join(',');
}
