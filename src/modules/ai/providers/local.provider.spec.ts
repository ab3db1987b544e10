import { ENGLISH } from '../prompt/language';
import type { PromptMessage } from '../prompt/prompt-builder';
import { extractiveSummary, scoreSentence, splitSentences } from './local-summary';
import { LocalProvider } from './local.provider';

const msg = (id: string, text: string, direction: PromptMessage['direction'] = 'inbound'): PromptMessage => ({ id, direction, text, at: '2026-12-07T10:00:00Z' });

const conversation = [
  msg('m1', 'Hello there. My parcel for order 1042 has not arrived. The parcel tracking shows no update since Monday.'),
  msg('m2', 'Sorry to hear that. We are asking the courier about your parcel today.', 'outbound'),
  msg('m3', 'Thanks. Will you refund the shipping if the parcel is lost? I paid extra for express.'),
];

describe('local summary', () => {
  it('splits sentences on punctuation and lines, dropping one-word fragments', () => {
    expect(splitSentences('Hi. Where is it?\nThanks!  Call me tomorrow.')).toEqual(['Where is it?', 'Call me tomorrow.']);
  });

  it('scores central, customer and question sentences higher', () => {
    const frequency = new Map([
      ['parcel', 4],
      ['refund', 1],
    ]);
    const base = { messageId: 'x', position: 0 };
    const central = scoreSentence({ ...base, direction: 'outbound', text: 'parcel', terms: ['parcel'] }, frequency);
    const rare = scoreSentence({ ...base, direction: 'outbound', text: 'refund', terms: ['refund'] }, frequency);
    const fromCustomer = scoreSentence({ ...base, direction: 'inbound', text: 'parcel', terms: ['parcel'] }, frequency);
    const question = scoreSentence({ ...base, direction: 'inbound', text: 'parcel?', terms: ['parcel'] }, frequency);
    expect(central).toBeGreaterThan(rare);
    expect(fromCustomer).toBeGreaterThan(central);
    expect(question).toBeGreaterThan(fromCustomer);
  });

  it('is deterministic, keeps conversation order and cites the messages it quotes', () => {
    const a = extractiveSummary(conversation);
    expect(extractiveSummary(conversation)).toEqual(a);
    expect(a.content.split('\n')).toEqual([
      '- Customer: My parcel for order 1042 has not arrived.',
      '- Customer: The parcel tracking shows no update since Monday.',
      '- Customer: Will you refund the shipping if the parcel is lost?',
    ]);
    expect(a.sources).toEqual(['m1', 'm3']);
  });
});

describe('LocalProvider', () => {
  const provider = new LocalProvider();
  const task = (kind: 'summary' | 'draft', messages: PromptMessage[], language = ENGLISH) => ({ kind, messages, language, maskIdentifiers: false });

  it('drafts a reply to the customer’s last message in their language, from templates', async () => {
    const es = await provider.generate(task('draft', [msg('a', '¿Dónde está mi pedido?')], { code: 'es', name: 'Spanish' }));
    expect(es).toEqual({ content: expect.stringMatching(/^Hola:\n\nGracias por su pregunta \(«¿Dónde está mi pedido\?»\)/), sources: ['a'], tokensIn: null, tokensOut: null });
    const en = await provider.generate(task('draft', conversation));
    expect(en.sources).toEqual(['m3']);
    // The topic is the message's first real sentence ("Thanks." alone is no sentence).
    expect(en.content).toContain('Thank you for your question (“Will you refund the shipping if the parcel is lost?”)');
    expect(await provider.generate(task('draft', conversation))).toEqual(en);
  });

  it('falls back to English templates and fails clearly with nothing to answer', async () => {
    const ru = await provider.generate(task('draft', [msg('a', 'Где мой заказ?')], { code: 'ru', name: 'Russian' }));
    expect(ru.content).toMatch(/^Hello,/);
    await expect(provider.generate(task('draft', [msg('a', 'We shipped it.', 'outbound')]))).rejects.toMatchObject({ reason: 'the conversation has no customer message to answer', retryable: false });
  });
});
