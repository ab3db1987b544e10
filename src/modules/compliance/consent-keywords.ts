/** Whole-message keywords (trimmed, case-insensitive) that opt a contact out of or back into a channel type. */
export const DEFAULT_OPT_OUT_KEYWORDS = [
  'STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'OPT OUT', 'REVOKE',
  'ARRET', 'ARRÊT', 'DESABONNER', 'DÉSABONNER', // French
  'BAJA', 'PARAR', 'CANCELAR', 'DETENER', // Spanish / Portuguese
  'STOPP', 'ABMELDEN', 'ABBESTELLEN', // German
  'ANNULLA', 'DISISCRIVI', // Italian
  'AFMELDEN', 'UITSCHRIJVEN', // Dutch
];

/**
 * Only words nobody sends as an everyday answer: a customer replying "Yes" to a question must not
 * undo their STOP. A false opt-in breaks the opt-out; a missed one costs them typing START. Hence no
 * YES (or ALTA, also "high" in Spanish).
 */
export const DEFAULT_OPT_IN_KEYWORDS = ['START', 'SUBSCRIBE', 'UNSTOP', 'OPTIN', 'OPT IN', 'DÉMARRER', 'DEMARRER', 'ANMELDEN'];

export interface ConsentKeywords {
  optOut: string[];
  optIn: string[];
}

const normalize = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').replace(/[.!]+$/, '').toLocaleUpperCase('en-US');

/** 'opted_out' / 'opted_in' when the whole message is a keyword; null for anything else ("stop by tomorrow"). */
export function consentKeyword(text: string | undefined, keywords: ConsentKeywords = { optOut: DEFAULT_OPT_OUT_KEYWORDS, optIn: DEFAULT_OPT_IN_KEYWORDS }) {
  if (!text) return null;
  const t = normalize(text);
  if (keywords.optOut.some((k) => normalize(k) === t)) return 'opted_out' as const;
  if (keywords.optIn.some((k) => normalize(k) === t)) return 'opted_in' as const;
  return null;
}
