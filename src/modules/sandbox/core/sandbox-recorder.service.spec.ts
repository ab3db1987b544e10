import { SandboxRecorder } from './sandbox-recorder.service';

const request = (provider: 'postmark' | 'telegram', path = '/p') => ({ provider, method: 'POST', path, headers: {}, body: null });

describe('SandboxRecorder', () => {
  it('records in order with a sequence number and the answered status', () => {
    const recorder = new SandboxRecorder();
    const first = recorder.record(request('postmark'));
    recorder.record(request('telegram'));
    recorder.complete(first.seq, 200);
    const all = recorder.list();
    expect(all.map((r) => r.provider)).toEqual(['postmark', 'telegram']);
    expect(all[0]).toMatchObject({ seq: first.seq, status: 200, at: expect.any(String) });
    expect(all[1].seq).toBeGreaterThan(all[0].seq);
    expect(recorder.last()?.provider).toBe('telegram');
    expect(recorder.last('postmark')?.seq).toBe(first.seq);
  });

  it('filters by provider and since', () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    try {
      const recorder = new SandboxRecorder();
      recorder.record(request('postmark', '/old'));
      jest.setSystemTime(new Date('2030-01-01T00:01:00Z'));
      recorder.record(request('postmark', '/new'));
      recorder.record(request('telegram', '/new'));
      expect(recorder.list({ provider: 'telegram' })).toHaveLength(1);
      expect(recorder.list({ since: new Date('2030-01-01T00:01:00Z') }).map((r) => r.path)).toEqual(['/new', '/new']);
      expect(recorder.list({ provider: 'postmark', since: new Date('2030-01-01T00:00:30Z') })).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('hands out copies, keeps at most 2000 requests, and clears', () => {
    const recorder = new SandboxRecorder();
    for (let i = 0; i < 2005; i++) recorder.record(request('postmark', `/${i}`));
    const all = recorder.list();
    expect(all).toHaveLength(2000);
    expect(all[0].path).toBe('/5');
    all[0].path = 'changed';
    expect(recorder.list()[0].path).toBe('/5');
    recorder.clear();
    expect(recorder.list()).toEqual([]);
  });
});
