import { needlesOf } from '../../../common/privacy';
import { eraseFromPayload } from './ledger-redaction';

const waBatch = (people: { waId: string; text: string }[]) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { contacts: people.map((p) => ({ wa_id: p.waId, profile: { name: 'x' } })), messages: people.map((p) => ({ from: p.waId, text: { body: p.text } })) } }] }],
  });

describe('eraseFromPayload', () => {
  const needles = needlesOf([{ kind: 'whatsapp', value: '4915100000001' }]);

  it('keeps a payload that does not mention the person', () => {
    expect(eraseFromPayload('whatsapp', waBatch([{ waId: '4915100000002', text: 'hi' }]), needles)).toEqual({ action: 'keep' });
  });

  it('deletes a payload about the person alone', () => {
    expect(eraseFromPayload('whatsapp', waBatch([{ waId: '4915100000001', text: 'hi' }]), needles)).toEqual({ action: 'delete' });
    expect(eraseFromPayload('telegram', JSON.stringify({ message: { from: { id: 4915100000001 } } }), needles)).toEqual({ action: 'delete' });
  });

  it('redacts a WhatsApp batch that also carries someone else: their part stays, the person\'s goes', () => {
    const decision = eraseFromPayload('whatsapp', waBatch([{ waId: '4915100000001', text: 'mine' }, { waId: '4915100000002', text: 'theirs, about 4915100000001' }]), needles);
    expect(decision.action).toBe('redact');
    const body = (decision as { rawBody: string }).rawBody;
    expect(body).not.toContain('4915100000001');
    expect(body).not.toContain('mine');
    expect(body).toContain('4915100000002');
    expect(JSON.parse(body).entry[0].changes[0].value.messages).toEqual([{ from: '4915100000002', text: { body: 'theirs, about [erased]' } }]);
  });

  it('deletes raw text that is not JSON when it mentions the person', () => {
    expect(eraseFromPayload('email', 'from 4915100000001', needles)).toEqual({ action: 'delete' });
    expect(eraseFromPayload('email', 'nothing here', needles)).toEqual({ action: 'keep' });
  });
});
