import { Writable } from 'node:stream';
import { RequestContext } from '../../common/request-context';
import { createLogger, PinoNestLogger } from './logger';

function capture() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('logger', () => {
  it('redacts secrets and tokens wherever they appear in a logged object', () => {
    const { lines, logger } = capture();
    logger.info({ body: { password: 'hunter2hunter2', refreshToken: 'rt', botToken: '123:abc' }, headers: { authorization: 'Bearer x', 'x-api-key': 'nzk_1' } }, 'hello');
    const text = JSON.stringify(lines[0]);
    for (const secret of ['hunter2hunter2', '"rt"', '123:abc', 'Bearer x', 'nzk_1']) expect(text).not.toContain(secret);
    expect(lines[0].body.password).toBe('[redacted]');
  });

  it('logs request paths without query strings (they may carry tokens)', () => {
    const { lines, logger } = capture();
    logger.info({ req: { method: 'GET', url: '/v1/events/stream?token=secret', id: '1' } }, 'req');
    expect(lines[0].req).toEqual({ method: 'GET', url: '/v1/events/stream' });
  });

  it('redacts Telegram bot tokens in logged URLs and messages', () => {
    const { lines, logger } = capture();
    logger.info({ req: { method: 'POST', url: '/sandbox/telegram/bot123456:AAHsecret-Token_x/sendMessage', id: '1' } }, 'req');
    new PinoNestLogger(logger).warn('call to https://api.telegram.org/bot42%3AAAHsecret/getMe failed', 'Test');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('AAHsecret');
    expect(lines[0].req.url).toBe('/sandbox/telegram/bot123456:***/sendMessage');
    expect(lines[1].msg).toContain('bot42:***/getMe');
  });

  it('logs a failed query by statement and table with the PostgreSQL message, never its parameters', () => {
    const { lines, logger } = capture();
    const failure = `insert into "messages" ("id", "text") values ('01a', 'Ana Lopez secret text') on conflict do nothing returning id - invalid message format`;
    new PinoNestLogger(logger).warn(`webhook event 1 attempt 1/5 failed: ${failure}`, 'Test');
    logger.error(`select "c".* from "contacts" as "c" where "c"."email" = 'ana@example.test' - canceling statement due to statement timeout`);
    expect(lines[0].msg).toBe('webhook event 1 attempt 1/5 failed: [SQL redacted: insert into messages] - invalid message format');
    expect(lines[1].msg).toBe('[SQL redacted: select] - canceling statement due to statement timeout');
  });

  it('leaves ordinary text alone', () => {
    const { lines, logger } = capture();
    logger.info('updated 3 rows - done; select a plan');
    expect(lines[0].msg).toBe('updated 3 rows - done; select a plan');
  });

  it('adds the request id to application log lines', () => {
    const { lines, logger } = capture();
    RequestContext.run({ requestId: 'req-42' }, () => new PinoNestLogger(logger).log('inside', 'Test'));
    expect(lines[0]).toMatchObject({ requestId: 'req-42', context: 'Test', msg: 'inside' });
  });
});
