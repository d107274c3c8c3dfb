import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { MEETING_BODIES } from '../../common/graph';
import { judgeMeeting, MeetingRulesSchema, type MeetingRules } from '../../common/meeting';
import { liveQuorum, minimumFor, ratioText, rulesOf } from '../../ui/src/logic/quorum';
import { meets } from '../../common/meeting-judge';

const policy = JSON.parse(
  readFileSync(path.resolve(__dirname, '..', '..', 'procedures', 'policies', 'luojiang.json'), 'utf8'),
) as { versions: { values: Record<string, unknown> }[] };
const values = policy.versions[policy.versions.length - 1]?.values ?? {};
const rules: MeetingRules = MeetingRulesSchema.parse(values.meetingRules);

describe('UI: the meeting form’s live quorum check (the rules of common/meeting)', () => {
  test('given the district policy, then the browser reads the same rules the server validated', () => {
    expect(rulesOf(values)).toEqual(rules);
    expect(rulesOf({})).toBeUndefined();
    expect(rulesOf({ meetingRules: { villagers: { attendance: { compare: 'gt', num: 1, den: 0 } } } })).toBeUndefined();
  });

  test('given a joint meeting of 7, then 4 present is quorate (more than half) and 3 is not', () => {
    const three = liveQuorum('two-committees', { members: 7, present: 3, inFavour: 3 }, rules);
    expect(three?.attendance).toMatchObject({ have: 3, of: 7, needed: 4, met: false });
    expect(three?.result).toBe('inquorate');
    const four = liveQuorum('two-committees', { members: 7, present: 4, inFavour: 3 }, rules);
    expect(four).toMatchObject({ quorate: true, result: 'passed', passing: { have: 3, of: 4, needed: 3, met: true } });
  });

  test('given a party assembly of 45, then 30 present is quorate (two thirds) and passing counts all who should attend', () => {
    const live = liveQuorum('party-members', { members: 45, present: 30, inFavour: 22 }, rules);
    expect(live?.attendance).toMatchObject({ needed: 30, met: true });
    expect(live?.passing).toMatchObject({ base: 'members', of: 45, needed: 23, met: false });
    expect(live?.result).toBe('rejected');
  });

  test('given a villagers’ assembly short of half the villagers, then two thirds of households make it quorate', () => {
    const live = liveQuorum(
      'villagers',
      { members: 1000, present: 400, inFavour: 300, households: 300, householdsRepresented: 200 },
      rules,
    );
    expect(live?.attendance.met).toBe(false);
    expect(live?.households).toMatchObject({ have: 200, of: 300, needed: 200, met: true });
    expect(live).toMatchObject({ quorate: true, result: 'passed' });
  });

  test('given counts too incomplete to judge, then no verdict yet', () => {
    expect(liveQuorum('two-committees', {}, rules)).toBeUndefined();
    expect(liveQuorum('two-committees', { members: 7 }, rules)).toBeUndefined();
    expect(liveQuorum('two-committees', { members: 0, present: 0 }, rules)).toBeUndefined();
  });

  test('the smallest count meeting a rule meets it, and one fewer does not', () => {
    fc.assert(
      fc.property(
        fc.record({
          compare: fc.constantFrom('gt' as const, 'gte' as const),
          num: fc.integer({ min: 1, max: 5 }),
          den: fc.integer({ min: 1, max: 6 }),
        }),
        fc.integer({ min: 0, max: 2000 }),
        (rule, whole) => {
          const n = minimumFor(rule, whole);
          expect(meets(rule, n, whole)).toBe(true);
          expect(meets(rule, n - 1, whole)).toBe(false);
        },
      ),
    );
  });

  test('for any counts, the live verdict is the workflow’s verdict', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MEETING_BODIES),
        fc
          .integer({ min: 1, max: 300 })
          .chain((members) =>
            fc
              .integer({ min: 0, max: members })
              .chain((present) =>
                fc.tuple(fc.constant(members), fc.constant(present), fc.integer({ min: 0, max: present })),
              ),
          ),
        (body, [members, present, inFavour]) => {
          const counts = { members, present, inFavour, against: present - inFavour, abstain: 0 };
          expect(liveQuorum(body, counts, rules)?.result).toBe(judgeMeeting(body, counts, rules));
        },
      ),
    );
  });

  test('a ratio is written the way the law writes it', () => {
    expect(ratioText({ compare: 'gte', num: 2, den: 3 })).toBe('2/3');
  });
});
