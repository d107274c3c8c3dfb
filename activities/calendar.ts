import { findWorkday, isWorkday } from 'chinese-days';
import { chinaDate } from '../common/china-date';
import { dueAtWithoutCalendar } from '../common/engine';
import type { Duration } from '../common/graph';

/**
 * When a period that started at `from` ends, counted as 民法典 Arts. 201–203 count periods:
 * - the day it starts is not counted; it runs from the next day (Beijing time);
 * - it ends at 24:00 Beijing time of its last day;
 * - N working days: the Nth working day after the start day (weekends and holidays skipped, the
 *   make-up working days (调休) counted), per the State Council's calendar (chinese-days);
 * - N calendar days: the Nth day after the start day; when that day is a rest day (a statutory
 *   holiday or a weekend that is not a make-up working day), the first working day after it.
 * So a working-day and a calendar-day window both end at midnight after a working day. Shorter
 * units (seconds … hours) are plain arithmetic. This runs in an activity so that the calendar data
 * is read once and the answer lands in workflow history.
 */
export function dueAt(from: number, duration: Duration): number {
  if (duration.unit === 'workingDays') return endOf(findWorkday(Math.ceil(duration.amount), chinaDate(from)));
  if (duration.unit === 'days') {
    const last = addDays(chinaDate(from), Math.ceil(duration.amount));
    return endOf(isWorkday(last) ? last : findWorkday(1, last));
  }
  return dueAtWithoutCalendar(from, duration) ?? from;
}

/** 24:00 Beijing time of a calendar day (YYYY-MM-DD). */
function endOf(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`) + 86_400_000;
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
