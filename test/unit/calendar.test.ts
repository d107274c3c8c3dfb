import { dueAt } from '../../activities/calendar';
import { chinaDate as shanghaiDate } from '../../common/china-date';
import { startMatter, timersToSchedule } from '../../common/engine';
import { buildGraph } from '../helpers/graph-builder';

const at = (iso: string) => Date.parse(iso);

describe('working-day deadlines (official holiday calendar)', () => {
  test('given 5 working days from a Monday, then they end at midnight Beijing time after the next Monday', () => {
    const from = at('2026-03-02T02:00:00Z'); // Monday 10:00 in Beijing

    expect(new Date(dueAt(from, { amount: 5, unit: 'workingDays' })).toISOString()).toBe('2026-03-09T16:00:00.000Z');
  });

  test('given the National Day holiday, then it is skipped', () => {
    const from = at('2026-09-30T02:00:00Z');

    // 2026-10-01..07 are holidays; the 5th working day after 30 Sept is 13 Oct.
    expect(shanghaiDate(dueAt(from, { amount: 5, unit: 'workingDays' }) - 1)).toBe('2026-10-13');
  });

  test('given late evening UTC, then the start day is the Beijing calendar day', () => {
    expect(shanghaiDate(at('2026-03-01T17:00:00Z'))).toBe('2026-03-02');
  });

  test('given units shorter than a day, then plain arithmetic', () => {
    expect(dueAt(0, { amount: 2, unit: 'seconds' })).toBe(2000);
    expect(dueAt(0, { amount: 3, unit: 'hours' })).toBe(3 * 3_600_000);
  });
});

describe('calendar-day periods (民法典 Arts. 201–203)', () => {
  const beijing = (local: string) => Date.parse(`${local}+08:00`);
  const end = (from: number, amount: number, unit: 'days' | 'workingDays' = 'days') =>
    new Date(dueAt(from, { amount, unit })).toISOString();

  test('the start day is not counted and the last day ends at 24:00 Beijing time: 7 days from 12-03 14:16 end 12-10 24:00', () => {
    expect(end(beijing('2026-12-03T14:16:00'), 7)).toBe('2026-12-10T16:00:00.000Z');
  });

  test('a period whose last day is a holiday ends with the first working day after it', () => {
    // 09-26 + 7 = 10-03, inside the National Day holiday (10-01..07): the last day becomes 10-08
    expect(end(beijing('2026-09-26T09:00:00'), 7)).toBe('2026-10-08T16:00:00.000Z');
    // Monday + 5 = Saturday: the last day becomes Monday
    expect(end(beijing('2026-03-02T10:00:00'), 5)).toBe('2026-03-09T16:00:00.000Z');
  });

  test('a last day that is a make-up working day (调休) is not rolled', () => {
    // 2026-10-10 is a Saturday worked in lieu of the holiday
    expect(end(beijing('2026-10-03T10:00:00'), 7)).toBe('2026-10-10T16:00:00.000Z');
  });

  test('working-day and calendar-day windows agree: both from the next day, both ending at 24:00 of a working day', () => {
    for (const start of ['2026-03-02T23:59:00', '2026-03-03T00:01:00', '2026-09-30T12:00:00', '2026-12-31T08:00:00']) {
      const from = beijing(start);
      const oneDay = end(from, 1);
      const oneWorkingDay = end(from, 1, 'workingDays');
      for (const iso of [oneDay, oneWorkingDay]) expect(shanghaiDate(Date.parse(iso))).not.toBe(shanghaiDate(from));
      // both end at a Beijing midnight
      for (const iso of [oneDay, oneWorkingDay]) expect(new Date(iso).getUTCHours()).toBe(16);
      // a calendar day never ends before a working day would; never after it when the next day is worked
      expect(Date.parse(oneDay)).toBeLessThanOrEqual(Date.parse(oneWorkingDay));
    }
    // a Tuesday: one day and one working day are the same Wednesday 24:00
    expect(end(beijing('2026-03-03T09:00:00'), 1)).toBe(end(beijing('2026-03-03T09:00:00'), 1, 'workingDays'));
  });

  test('a matter under the civil-code rule leaves its calendar-day windows to the calendar; an older matter keeps plain arithmetic', () => {
    const graph = buildGraph(
      {
        start: { type: 'startEvent' },
        show: {
          type: 'userTask',
          step: { kind: 'disclosure', roles: ['secretary'], window: { amount: 7, unit: 'days' } },
        },
        done: { type: 'endEvent', outcome: 'completed' },
      },
      [
        ['f1', 'start', 'show'],
        ['f2', 'show', 'done'],
      ],
    );
    const input = { matterId: 'm', village: 'v', title: 't', initiator: { userId: 'li', role: 'secretary' as const } };
    const from = beijing('2026-12-03T14:16:00');

    const civil = startMatter(graph, { ...input, rules: { civilCodeDays: true } }, from);
    const older = startMatter(graph, input, from);

    expect(timersToSchedule(civil).map((t) => t.kind)).toEqual(['window']);
    expect(older.timers.find((t) => t.kind === 'window')?.dueAt).toBe(from + 7 * 86_400_000);
  });
});
