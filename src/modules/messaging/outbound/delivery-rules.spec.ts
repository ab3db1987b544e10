import { applyStatus, retryDelayMs, StatusState } from './delivery-rules';

const t = (s: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, s));
const queued: StatusState = { status: 'queued', statusHistory: [{ status: 'queued', at: t(0).toISOString() }] };
const statuses = (s: StatusState | null) => s?.statusHistory.map((h) => h.status);

describe('applyStatus', () => {
  it('moves forward and keeps the history in order', () => {
    const sent = applyStatus(queued, { status: 'sent', at: t(1) })!;
    const delivered = applyStatus(sent, { status: 'delivered', at: t(2) })!;
    expect(delivered.status).toBe('delivered');
    expect(statuses(delivered)).toEqual(['queued', 'sent', 'delivered']);
  });

  it('ends at read whatever order read, sent and delivered arrive in', () => {
    let s: StatusState = queued;
    for (const [status, at] of [['read', t(3)], ['sent', t(1)], ['delivered', t(2)]] as const) s = applyStatus(s, { status, at }) ?? s;
    expect(s.status).toBe('read');
    expect(statuses(s)).toEqual(['queued', 'sent', 'delivered', 'read']);
  });

  it('read implies delivered; a late delivered then changes nothing', () => {
    const read = applyStatus({ ...queued, status: 'sent' }, { status: 'read', at: t(5) })!;
    expect(statuses(read)).toEqual(['queued', 'delivered', 'read']);
    expect(applyStatus(read, { status: 'delivered', at: t(4) })).toBeNull();
  });

  it('keeps earlier cycles of a retried message and records the new one after them', () => {
    const failed = applyStatus({ status: 'sent', statusHistory: [...queued.statusHistory, { status: 'sent', at: t(1).toISOString() }] }, { status: 'failed', at: t(2) })!;
    const requeued = { status: 'queued', statusHistory: [...failed.statusHistory, { status: 'queued', at: t(3).toISOString() }] };
    expect(statuses(applyStatus(requeued, { status: 'sent', at: t(4) }))).toEqual(['queued', 'sent', 'failed', 'queued', 'sent']);
  });

  it('ignores replays', () => {
    const sent = applyStatus(queued, { status: 'sent', at: t(1) })!;
    expect(applyStatus(sent, { status: 'sent', at: t(1) })).toBeNull();
  });

  it('fails only from queued or sent, and never leaves failed', () => {
    expect(applyStatus(queued, { status: 'failed', at: t(1) })?.status).toBe('failed');
    const delivered = applyStatus(queued, { status: 'delivered', at: t(1) })!;
    expect(applyStatus(delivered, { status: 'failed', at: t(2) })).toBeNull();
    const failed = applyStatus(queued, { status: 'failed', at: t(1) })!;
    expect(applyStatus(failed, { status: 'delivered', at: t(2) })).toBeNull();
  });
});

describe('applyStatus: spam complaints', () => {
  const delivered = applyStatus(applyStatus(queued, { status: 'sent', at: t(1) })!, { status: 'delivered', at: t(2) })!;

  it('fails a delivered message, history delivered then failed', () => {
    const complained = applyStatus(delivered, { status: 'failed', at: t(3), complaint: true })!;
    expect(complained.status).toBe('failed');
    expect(statuses(complained)).toEqual(['queued', 'sent', 'delivered', 'failed']);
  });

  it('arriving before its Delivery event fails the sent message; the late delivery changes nothing', () => {
    const sent = applyStatus(queued, { status: 'sent', at: t(1) })!;
    const complained = applyStatus(sent, { status: 'failed', at: t(3), complaint: true })!;
    expect(complained.status).toBe('failed');
    expect(applyStatus(complained, { status: 'delivered', at: t(2) })).toBeNull();
  });

  it('is the only failure that moves delivered (or anything past it) back', () => {
    expect(applyStatus(delivered, { status: 'failed', at: t(3) })).toBeNull();
    expect(applyStatus(delivered, { status: 'failed', at: t(3), complaint: false })).toBeNull();
    const read = applyStatus(delivered, { status: 'read', at: t(3) })!;
    expect(applyStatus(read, { status: 'failed', at: t(4), complaint: true })).toBeNull();
    const complained = applyStatus(delivered, { status: 'failed', at: t(3), complaint: true })!;
    expect(applyStatus(complained, { status: 'failed', at: t(4), complaint: true })).toBeNull();
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base with jitter within ±25 %', () => {
    expect(retryDelayMs(1, 2000, undefined, () => 0.5)).toBe(2000);
    expect(retryDelayMs(3, 2000, undefined, () => 0.5)).toBe(8000);
    expect(retryDelayMs(2, 1000, undefined, () => 0)).toBe(1500);
    expect(retryDelayMs(2, 1000, undefined, () => 1)).toBe(2500);
  });

  it('waits at least what the provider asked', () => {
    expect(retryDelayMs(1, 100, 2, () => 0.5)).toBe(2000);
    expect(retryDelayMs(5, 2000, 2, () => 0.5)).toBe(32000);
  });
});
