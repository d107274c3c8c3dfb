import { findWorkday } from 'chinese-days';
import { chinaDate } from '../common/china-date';
import { dueAtWithoutCalendar } from '../common/engine';
import type { Duration } from '../common/graph';

/**
 * When a duration that started at `from` ends. N working days end at midnight (Beijing time)
 * after the Nth working day following the start day, using the State Council's holiday and
 * make-up-workday calendar (chinese-days). This runs in an activity so that the calendar
 * data is read once and the answer lands in workflow history.
 */
export function dueAt(from: number, duration: Duration): number {
  const plain = dueAtWithoutCalendar(from, duration);
  if (plain !== undefined) return plain;
  const lastDay = findWorkday(Math.ceil(duration.amount), chinaDate(from));
  return Date.parse(`${lastDay}T00:00:00+08:00`) + 86_400_000;
}
