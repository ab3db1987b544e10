import { consentKeyword } from './consent-keywords';

describe('consent keywords', () => {
  it.each(['stop', ' Stop ', 'STOP', 'ARRET', 'arrêt', 'Baja', 'unsubscribe', 'STOP!', 'opt  out'])('%j opts out', (text) => {
    expect(consentKeyword(text)).toBe('opted_out');
  });

  it.each(['START', 'start', ' Subscribe '])('%j opts back in', (text) => {
    expect(consentKeyword(text)).toBe('opted_in');
  });

  it.each(['yes', 'Yes', 'YES!', 'ok', 'Alta'])('%j, an everyday answer, does not opt back in', (text) => {
    expect(consentKeyword(text)).toBeNull();
  });

  it.each(['stop by tomorrow', 'please stop the order', 'Start the refund', '', undefined])('%j is not a keyword', (text) => {
    expect(consentKeyword(text)).toBeNull();
  });

  it('uses a workspace-configured list instead of the defaults', () => {
    expect(consentKeyword('HALT', { optOut: ['halt'], optIn: ['go'] })).toBe('opted_out');
    expect(consentKeyword('STOP', { optOut: ['halt'], optIn: ['go'] })).toBeNull();
  });
});
