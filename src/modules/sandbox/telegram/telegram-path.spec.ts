import { parseTelegramPath, redactTelegramPath } from './telegram-path';

describe('Telegram sandbox paths', () => {
  it('splits bot<token>/<method>, decoding the token', () => {
    expect(parseTelegramPath('/sandbox/telegram/bot123:ABC-def/sendMessage')).toEqual({ kind: 'method', token: '123:ABC-def', method: 'sendMessage' });
    expect(parseTelegramPath('/sandbox/telegram/bot123%3AABC/getMe')).toEqual({ kind: 'method', token: '123:ABC', method: 'getMe' });
  });

  it('splits file/bot<token>/<file_path> with nested paths', () => {
    expect(parseTelegramPath('/sandbox/telegram/file/bot1:x/photos/file_3.jpg')).toEqual({ kind: 'file', token: '1:x', filePath: 'photos/file_3.jpg' });
  });

  it('rejects anything else', () => {
    for (const path of ['/sandbox/telegram/', '/sandbox/telegram/bot1:x', '/sandbox/telegram/bot1:x/a/b', '/sandbox/telegram/nobot/getMe', '/sandbox/telegram/file/bot1:x/', '/elsewhere/bot1:x/getMe']) {
      expect(parseTelegramPath(path)).toEqual({ kind: 'unknown' });
    }
  });

  it('redacts the secret half of the token, keeping the bot id', () => {
    expect(redactTelegramPath('/sandbox/telegram/bot123:ABC/sendMessage?x=1')).toBe('/sandbox/telegram/bot123:***/sendMessage?x=1');
    expect(redactTelegramPath('/sandbox/telegram/file/bot123:ABC/photos/f.jpg')).toBe('/sandbox/telegram/file/bot123:***/photos/f.jpg');
    expect(redactTelegramPath('/sandbox/telegram/botplaintoken/getMe')).toBe('/sandbox/telegram/bot***/getMe');
    expect(redactTelegramPath('/sandbox/telegram/bot55%3Asecret/getMe')).toBe('/sandbox/telegram/bot55:***/getMe');
  });
});
