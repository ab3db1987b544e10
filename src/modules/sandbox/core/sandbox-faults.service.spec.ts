import { SandboxFaults } from './sandbox-faults.service';

describe('SandboxFaults', () => {
  it('answers faults oldest first, each as many times as asked, then nothing', () => {
    const faults = new SandboxFaults();
    faults.add({ provider: 'postmark', status: 500, times: 2 });
    faults.add({ provider: 'postmark', status: 503 });
    const statuses = [1, 2, 3, 4].map(() => faults.take('postmark', '/sandbox/postmark/email')?.status);
    expect(statuses).toEqual([500, 500, 503, undefined]);
    expect(faults.list()).toEqual([]);
  });

  it('applies a fault only to its provider and to paths containing its match', () => {
    const faults = new SandboxFaults();
    faults.add({ provider: 'telegram', status: 429, match: 'sendMessage' });
    expect(faults.take('whatsapp', '/sandbox/graph/1/messages')).toBeUndefined();
    expect(faults.take('telegram', '/sandbox/telegram/bot1:***/getMe')).toBeUndefined();
    expect(faults.take('telegram', '/sandbox/telegram/bot1:***/sendMessage')).toMatchObject({ status: 429, remaining: 0 });
    expect(faults.take('telegram', '/sandbox/telegram/bot1:***/sendMessage')).toBeUndefined();
  });

  it('lets a later unscoped fault serve calls an earlier scoped one does not match', () => {
    const faults = new SandboxFaults();
    faults.add({ provider: 'whatsapp', status: 400, match: '/media' });
    faults.add({ provider: 'whatsapp', status: 500 });
    expect(faults.take('whatsapp', '/sandbox/graph/1/messages')?.status).toBe(500);
    expect(faults.take('whatsapp', '/sandbox/graph/1/media')?.status).toBe(400);
  });

  it('keeps a delay with the fault: alone it is a slow normal answer, with a status a slow failure', () => {
    const faults = new SandboxFaults();
    faults.add({ provider: 'telegram', delayMs: 3000, match: 'sendMessage' });
    faults.add({ provider: 'telegram', delayMs: 500, status: 502, match: 'sendMessage' });
    expect(faults.list()).toEqual([
      expect.objectContaining({ delayMs: 3000, times: 1, remaining: 1 }),
      expect.objectContaining({ delayMs: 500, status: 502 }),
    ]);
    const slow = faults.take('telegram', '/sandbox/telegram/bot1:***/sendMessage');
    expect(slow).toMatchObject({ delayMs: 3000 });
    expect(slow?.status).toBeUndefined();
    expect(faults.take('telegram', '/sandbox/telegram/bot1:***/sendMessage')).toMatchObject({ delayMs: 500, status: 502 });
    expect(faults.take('telegram', '/sandbox/telegram/bot1:***/sendMessage')).toBeUndefined();
  });

  it('refuses a fault with neither a status nor a delay', () => {
    const faults = new SandboxFaults();
    expect(() => faults.add({ provider: 'postmark' })).toThrow(/status.*delayMs/);
    expect(() => faults.add({ provider: 'postmark', delayMs: 0 })).toThrow(/status.*delayMs/);
    expect(faults.list()).toEqual([]);
  });

  it('reports remaining uses and clears', () => {
    const faults = new SandboxFaults();
    const added = faults.add({ provider: 'postmark', status: 500, times: 3 });
    expect(added).toMatchObject({ id: expect.any(Number), times: 3, remaining: 3 });
    faults.take('postmark', '/x');
    expect(faults.list()[0].remaining).toBe(2);
    faults.clear();
    expect(faults.take('postmark', '/x')).toBeUndefined();
  });
});
