/** A language the customer wrote in: ISO 639-1 code and its English name (named in prompts). */
export interface Language {
  code: string;
  name: string;
}

export const ENGLISH: Language = { code: 'en', name: 'English' };

/** Scripts that name their language on their own. */
const SCRIPTS: { pattern: RegExp; language: Language }[] = [
  { pattern: /[\u3040-\u30ff]/u, language: { code: 'ja', name: 'Japanese' } },
  { pattern: /[\uac00-\ud7af]/u, language: { code: 'ko', name: 'Korean' } },
  { pattern: /[\u4e00-\u9fff]/u, language: { code: 'zh', name: 'Chinese' } },
  { pattern: /[\u0400-\u04ff]/u, language: { code: 'ru', name: 'Russian' } },
  { pattern: /[\u0600-\u06ff]/u, language: { code: 'ar', name: 'Arabic' } },
  { pattern: /[\u0590-\u05ff]/u, language: { code: 'he', name: 'Hebrew' } },
  { pattern: /[\u0370-\u03ff]/u, language: { code: 'el', name: 'Greek' } },
];

/** Frequent function words of Latin-script languages; the language with most hits wins. */
const STOPWORDS: { language: Language; words: Set<string> }[] = [
  { language: ENGLISH, words: 'the and is are was you your my i to of in it that this for with have not be on can what where when how please thanks thank hello hi order'.split(' ') },
  { language: { code: 'es', name: 'Spanish' }, words: 'el la los las es son está están y de que en un una mi mis por para con no se lo hola gracias dónde donde cuándo cuando pedido quiero tengo por favor muy'.split(' ') },
  { language: { code: 'fr', name: 'French' }, words: 'le la les est sont et de des que en un une mon ma mes pour avec pas je vous bonjour merci où quand commande ne suis il elle'.split(' ') },
  { language: { code: 'de', name: 'German' }, words: 'der die das ist sind und zu von mit nicht ich sie mein meine ein eine wo wann bitte danke hallo bestellung wurde noch auf für'.split(' ') },
  { language: { code: 'pt', name: 'Portuguese' }, words: 'o a os as é são e de que em um uma meu minha para com não olá obrigado obrigada onde quando pedido está estou você'.split(' ') },
  { language: { code: 'it', name: 'Italian' }, words: 'il lo la gli le è sono e di che in un una mio mia per con non ciao grazie dove quando ordine sto ho buongiorno'.split(' ') },
  { language: { code: 'nl', name: 'Dutch' }, words: 'de het een is zijn en van dat in mijn niet ik je u waar wanneer bedankt hallo bestelling nog met voor'.split(' ') },
].map(({ language, words }) => ({ language, words: new Set(words) }));

export const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/**
 * The language of the customer's text, by script and then by function words; English when
 * nothing is recognised. Cheap and deterministic: it only has to name the language in a prompt and
 * pick a reply template, not be a classifier.
 */
export function detectLanguage(text: string): Language {
  for (const s of SCRIPTS) if (s.pattern.test(text)) return s.language;
  const tokens = words(text);
  let best: { language: Language; hits: number } = { language: ENGLISH, hits: 0 };
  for (const { language, words: list } of STOPWORDS) {
    const hits = tokens.filter((t) => list.has(t)).length;
    if (hits > best.hits) best = { language, hits };
  }
  return best.language;
}
