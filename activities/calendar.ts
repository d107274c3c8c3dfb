import { findWorkday } from 'chinese-days';
import type { Duration } from '../common/graph';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** The calendar date (YYYY-MM-DD) in China of an instant; China has no daylight saving time. */
export function shanghaiDate(at: number): string {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * When a duration that started at `from` ends. N working days end at midnight (Beijing time)
 * after the Nth working day following the start day, using the State Council's holiday and
 * make-up-workday calendar (chinese-days). This runs in an activity so that the calendar
 * data is read once and the answer lands in workflow history.
 */
export function dueAt(from: number, duration: Duration): number {
  if (duration.unit !== 'workingDays') return from + duration.amount * UNIT_MS[duration.unit];
  const lastDay = findWorkday(Math.ceil(duration.amount), shanghaiDate(from));
  return Date.parse(`${lastDay}T00:00:00+08:00`) + UNIT_MS.days;
}
