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

  it('adds the request id to application log lines', () => {
    const { lines, logger } = capture();
    RequestContext.run({ requestId: 'req-42' }, () => new PinoNestLogger(logger).log('inside', 'Test'));
    expect(lines[0]).toMatchObject({ requestId: 'req-42', context: 'Test', msg: 'inside' });
  });
});
