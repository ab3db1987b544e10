import { nextSnoozeState, normalizeLabels } from './conversation-rules';
import { SNOOZE_ERRORS } from './messaging.errors';

describe('nextSnoozeState', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const later = new Date('2026-01-02T00:00:00Z');
  const earlier = new Date('2025-12-31T00:00:00Z');

  it('requires a future snoozedUntil to snooze', () => {
    expect(nextSnoozeState({ status: 'open' }, { status: 'snoozed', snoozedUntil: later }, now)).toEqual({ status: 'snoozed', snoozedUntil: later });
    expect(nextSnoozeState({ status: 'open' }, { status: 'snoozed' }, now)).toEqual({ errors: [SNOOZE_ERRORS.required] });
    expect(nextSnoozeState({ status: 'open' }, { status: 'snoozed', snoozedUntil: null }, now)).toEqual({ errors: [SNOOZE_ERRORS.required] });
    expect(nextSnoozeState({ status: 'open' }, { status: 'snoozed', snoozedUntil: earlier }, now)).toEqual({ errors: [SNOOZE_ERRORS.future] });
  });

  it('refuses snoozedUntil for any other status, and clears it when leaving snoozed', () => {
    expect(nextSnoozeState({ status: 'open' }, { status: 'resolved', snoozedUntil: later }, now)).toEqual({ errors: [SNOOZE_ERRORS.notSnoozed] });
    expect(nextSnoozeState({ status: 'open' }, { snoozedUntil: later }, now)).toEqual({ errors: [SNOOZE_ERRORS.notSnoozed] });
    expect(nextSnoozeState({ status: 'snoozed', snoozedUntil: later }, { status: 'open' }, now)).toEqual({ status: 'open', snoozedUntil: null });
    expect(nextSnoozeState({ status: 'open' }, { status: 'pending', snoozedUntil: null }, now)).toEqual({ status: 'pending', snoozedUntil: null });
  });

  it('keeps or moves the wake-up time of a conversation that stays snoozed', () => {
    const snoozed = { status: 'snoozed' as const, snoozedUntil: later };
    expect(nextSnoozeState(snoozed, {}, now)).toEqual({ status: 'snoozed', snoozedUntil: later });
    const further = new Date('2026-02-01T00:00:00Z');
    expect(nextSnoozeState(snoozed, { snoozedUntil: further }, now)).toEqual({ status: 'snoozed', snoozedUntil: further });
    expect(nextSnoozeState(snoozed, { snoozedUntil: null }, now)).toEqual({ errors: [SNOOZE_ERRORS.required] });
  });
});

describe('normalizeLabels', () => {
  it('trims and de-duplicates in order', () => {
    expect(normalizeLabels([' vip', 'billing', 'vip ', 'Billing'])).toEqual(['vip', 'billing', 'Billing']);
  });
});
