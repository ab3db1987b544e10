import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../../common/input';

/**
 * Parses provider JSON keeping integers too large for a double (Postmark's 19-digit bounce IDs,
 * Telegram ids) exact, by turning them into strings before JSON.parse. Digits inside string
 * values are left alone: the scan tracks whether it is inside a string.
 */
export function parseProviderJson(text: string): unknown {
  // Refused like malformed JSON (stored `ignored` with this reason): a deeper value overflows the stack wherever it is walked.
  if (exceedsJsonDepth(text)) throw new SyntaxError(`JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  // Fast path: most payloads carry no 16+ digit run at all.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
      continue;
    }
    const m = /^-?\d{16,}(?![.eE\d])/.exec(text.slice(i, i + 64));
    if (m && !Number.isSafeInteger(Number(m[0]))) {
      out += `"${m[0]}"`;
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return JSON.parse(out);
}
