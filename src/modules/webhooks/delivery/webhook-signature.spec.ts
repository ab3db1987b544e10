import { createHmac } from 'node:crypto';
import { newWebhookSecret, signatureHeader } from './webhook-signature';

describe('signatureHeader', () => {
  const body = '{"id":"d1","event":"contact.created"}';
  const at = new Date('2026-12-07T06:00:00.000Z');

  it('signs t + "." + body with each secret, current first', () => {
    const header = signatureHeader(['new', 'old'], body, at);
    const t = at.getTime() / 1000;
    const hmac = (s: string) => createHmac('sha256', s).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${hmac('new')},v1=${hmac('old')}`);
  });

  it('mints distinct secrets with a recognizable prefix', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
