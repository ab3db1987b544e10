import type { PromptMessage } from './prompt-builder';
import { detectLanguage, ENGLISH, Language } from './language';

/** The customer's language: that of their latest message, else of all they wrote; English when they wrote nothing. */
export function customerLanguage(chronological: PromptMessage[]): Language {
  const inbound = chronological.filter((m) => m.direction === 'inbound' && m.text.trim());
  if (!inbound.length) return ENGLISH;
  const latest = detectLanguage(inbound[inbound.length - 1].text);
  return latest.code !== ENGLISH.code ? latest : detectLanguage(inbound.map((m) => m.text).join('\n'));
}
