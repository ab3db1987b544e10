import type { PromptMessage } from '../prompt/prompt-builder';
import { words } from '../prompt/language';

/** Words that carry no topic in any of the detected languages. */
const FILLER = new Set(
  'the and for you your are was with have this that what when where how can not but our will from please thanks thank hello there here just also they them about would could should '
    .concat('los las una por para con que del está hola gracias les des une pour avec pas vous bonjour merci der die das und ist nicht mit ich sie eine bitte danke hallo ')
    .concat('uma com não olá obrigado che non per una sono grazie ciao het een niet voor met dat bedankt')
    .split(' '),
);

interface Sentence {
  messageId: string;
  direction: PromptMessage['direction'];
  text: string;
  terms: string[];
  position: number;
}

export const splitSentences = (text: string): string[] =>
  text
    .split(/(?<=[.!?。！？])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => words(s).length >= 2);

const termsOf = (text: string) => words(text).filter((w) => w.length >= 3 && !FILLER.has(w));

/**
 * Scores a sentence by how central its words are to the whole conversation (the mean frequency of
 * its topic words), with a small bonus for the customer's sentences and questions, which is what
 * an agent needs first.
 */
export function scoreSentence(s: Sentence, frequency: Map<string, number>): number {
  if (!s.terms.length) return 0;
  const centrality = s.terms.reduce((sum, t) => sum + (frequency.get(t) ?? 0), 0) / Math.sqrt(s.terms.length);
  return centrality * (s.direction === 'inbound' ? 1.2 : 1) * (s.text.includes('?') ? 1.1 : 1);
}

/** At most this many sentences, and never more than a third of the conversation's (at least one). */
const MAX_SENTENCES = 4;

/**
 * The extractive summary: the best-scoring sentences in conversation order, each naming who said
 * it, with the ids of the messages they come from. Same input, same output: ties go to the earlier
 * sentence.
 */
export function extractiveSummary(messages: PromptMessage[]): { content: string; sources: string[] } {
  const sentences: Sentence[] = messages.flatMap((m) => splitSentences(m.text).map((text) => ({ messageId: m.id, direction: m.direction, text, terms: termsOf(text), position: 0 })));
  sentences.forEach((s, i) => (s.position = i));
  if (!sentences.length) return { content: '', sources: [] };
  const frequency = new Map<string, number>();
  for (const s of sentences) for (const t of new Set(s.terms)) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const take = Math.min(MAX_SENTENCES, Math.max(1, Math.ceil(sentences.length / 3)));
  const chosen = sentences
    .map((s) => ({ s, score: scoreSentence(s, frequency) }))
    .sort((a, b) => b.score - a.score || a.s.position - b.s.position)
    .slice(0, take)
    .map((x) => x.s)
    .sort((a, b) => a.position - b.position);
  return {
    content: chosen.map((s) => `- ${s.direction === 'inbound' ? 'Customer' : 'Team'}: ${s.text}`).join('\n'),
    sources: [...new Set(chosen.map((s) => s.messageId))],
  };
}
