/** A Bot API URL split into its parts: `bot<token>/<method>` or `file/bot<token>/<file_path>`. */
export type TelegramPath =
  | { kind: 'method'; token: string; method: string }
  | { kind: 'file'; token: string; filePath: string }
  | { kind: 'unknown' };

const PREFIX = '/sandbox/telegram/';

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * The token sits inside a path segment (`bot123:ABC`), which no route parameter syntax can
 * express, so the Telegram fake takes everything under /sandbox/telegram/ and splits it here.
 */
export function parseTelegramPath(pathname: string): TelegramPath {
  if (!pathname.startsWith(PREFIX)) return { kind: 'unknown' };
  const segments = pathname.slice(PREFIX.length).split('/');
  if (segments[0] === 'file' && segments[1]?.startsWith('bot') && segments.length >= 3) {
    const filePath = segments.slice(2).map(decode).join('/');
    return filePath ? { kind: 'file', token: decode(segments[1].slice(3)), filePath } : { kind: 'unknown' };
  }
  if (segments.length === 2 && segments[0].startsWith('bot') && segments[1]) {
    return { kind: 'method', token: decode(segments[0].slice(3)), method: segments[1] };
  }
  return { kind: 'unknown' };
}

/**
 * Hides the secret half of a bot token in recorded paths: `bot123:ABC` → `bot123:***`. The
 * numeric bot id before the colon is public (getMe returns it) and tells bots apart in tests.
 */
export function redactTelegramPath(url: string): string {
  return url.replace(/^(\/sandbox\/telegram\/(?:file\/)?bot)([^/?]*)/, (_m, head: string, token: string) => {
    const colon = decode(token).indexOf(':');
    return `${head}${colon > 0 ? `${decode(token).slice(0, colon)}:***` : '***'}`;
  });
}
