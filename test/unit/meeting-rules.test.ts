import { judgeMeeting, meets } from '../../common/meeting';
import { LEGAL_MEETING_RULES } from '../helpers/graph-builder';

const counts = (members: number, present: number, inFavour: number) => ({
  members,
  present,
  inFavour,
  against: present - inFavour,
  abstain: 0,
});

describe('quorum and majority at the legal boundaries (村民委员会组织法 and local rules)', () => {
  test('ratios are exact: more than a half, at least two thirds', () => {
    expect(meets({ compare: 'gt', num: 1, den: 2 }, 5, 10)).toBe(false);
    expect(meets({ compare: 'gt', num: 1, den: 2 }, 6, 10)).toBe(true);
    expect(meets({ compare: 'gte', num: 2, den: 3 }, 19, 29)).toBe(false); // 19/29 = 0.655…
    expect(meets({ compare: 'gte', num: 2, den: 3 }, 20, 30)).toBe(true);
  });

  test('representatives (Art. 26): ≥ 2/3 attend, > 1/2 of those present agree', () => {
    expect(judgeMeeting('representatives', counts(30, 19, 19), LEGAL_MEETING_RULES)).toBe('inquorate');
    expect(judgeMeeting('representatives', counts(30, 20, 10), LEGAL_MEETING_RULES)).toBe('rejected');
    expect(judgeMeeting('representatives', counts(30, 20, 11), LEGAL_MEETING_RULES)).toBe('passed');
  });

  test('party members: ≥ 2/3 attend, > 1/2 of ALL who should attend agree', () => {
    expect(judgeMeeting('party-members', counts(40, 30, 20), LEGAL_MEETING_RULES)).toBe('rejected');
    expect(judgeMeeting('party-members', counts(40, 30, 21), LEGAL_MEETING_RULES)).toBe('passed');
  });

  test('two committees: > 1/2 attend, > 1/2 of those present agree', () => {
    expect(judgeMeeting('two-committees', counts(8, 4, 4), LEGAL_MEETING_RULES)).toBe('inquorate');
    expect(judgeMeeting('two-committees', counts(8, 5, 3), LEGAL_MEETING_RULES)).toBe('passed');
  });

  test('villagers (Art. 22): > 1/2 of adults attend, or representatives of ≥ 2/3 of households', () => {
    expect(judgeMeeting('villagers', counts(1000, 500, 400), LEGAL_MEETING_RULES)).toBe('inquorate');
    expect(
      judgeMeeting(
        'villagers',
        { ...counts(1000, 500, 400), households: 300, householdsRepresented: 199 },
        LEGAL_MEETING_RULES,
      ),
    ).toBe('inquorate');
    expect(
      judgeMeeting(
        'villagers',
        { ...counts(1000, 500, 251), households: 300, householdsRepresented: 200 },
        LEGAL_MEETING_RULES,
      ),
    ).toBe('passed');
    expect(judgeMeeting('villagers', counts(1000, 501, 250), LEGAL_MEETING_RULES)).toBe('rejected');
  });
});
