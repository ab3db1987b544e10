import { applyContactReaction, applyEdit } from './message-history';

const at = (s: string) => new Date(`2025-03-04T09:${s}Z`);

describe('applyContactReaction', () => {
  it('adds, replaces and removes the contact’s one reaction, keeping agents’ reactions', () => {
    const agent = { emoji: '✅', by: 'agent' as const, at: at('00:00').toISOString() };
    const added = applyContactReaction([agent], '👍', at('01:00'))!;
    expect(added).toEqual([agent, { emoji: '👍', by: 'contact', at: at('01:00').toISOString() }]);
    const replaced = applyContactReaction(added, '❤️', at('02:00'))!;
    expect(replaced).toEqual([agent, { emoji: '❤️', by: 'contact', at: at('02:00').toISOString() }]);
    expect(applyContactReaction(replaced, '', at('03:00'))).toEqual([agent]);
  });

  it('ignores replays and reactions older than the stored one', () => {
    const current = applyContactReaction([], '👍', at('01:00'))!;
    expect(applyContactReaction(current, '👍', at('01:00'))).toBeNull();
    expect(applyContactReaction(current, '😡', at('00:30'))).toBeNull();
  });

  it('lets the later delivery win within one provider second', () => {
    const current = applyContactReaction([], '👍', at('01:00'))!;
    expect(applyContactReaction(current, '', at('01:00'))).toEqual([]);
  });

  it('treats removing a reaction that is not there as nothing to do', () => {
    expect(applyContactReaction([], '', at('01:00'))).toBeNull();
  });
});

describe('applyEdit', () => {
  const original = { text: 'Hallo', editedAt: null, writtenAt: at('00:00'), revisions: [] };

  it('keeps the replaced text with the time it was written', () => {
    const first = applyEdit(original, 'Hallo #1042', at('01:00'))!;
    expect(first).toEqual({ text: 'Hallo #1042', editedAt: at('01:00'), revisions: [{ text: 'Hallo', at: at('00:00').toISOString() }] });
    const second = applyEdit({ ...original, ...first }, 'Hallo #1043', at('02:00'))!;
    expect(second.revisions).toEqual([
      { text: 'Hallo', at: at('00:00').toISOString() },
      { text: 'Hallo #1042', at: at('01:00').toISOString() },
    ]);
  });

  it('ignores an edit that is not newer than the last one, and one that changes nothing', () => {
    const edited = { ...original, ...applyEdit(original, 'v2', at('02:00'))! };
    expect(applyEdit(edited, 'v2', at('02:00'))).toBeNull();
    expect(applyEdit(edited, 'v1.5', at('01:00'))).toBeNull();
    expect(applyEdit(original, 'Hallo', at('01:00'))).toBeNull();
  });
});
