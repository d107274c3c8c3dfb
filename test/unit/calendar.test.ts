import { dueAt } from '../../activities/calendar';
import { chinaDate as shanghaiDate } from '../../common/china-date';

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

  test('given calendar units, then plain arithmetic', () => {
    expect(dueAt(0, { amount: 7, unit: 'days' })).toBe(7 * 86_400_000);
    expect(dueAt(0, { amount: 2, unit: 'seconds' })).toBe(2000);
  });
});
