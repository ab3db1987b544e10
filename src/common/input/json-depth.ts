/** Deepest nesting of objects and arrays accepted in a JSON body, API and provider webhooks alike. */
export const MAX_JSON_DEPTH = 64;

/**
 * True when `text` nests objects/arrays deeper than `max`. Scans the text instead of the parsed
 * value, so a 100,000-deep body is refused in linear time without recursion (a parsed deep value
 * overflows the stack later, wherever it is walked or serialized). Brackets inside strings do not count.
 */
export function exceedsJsonDepth(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
