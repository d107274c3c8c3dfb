import type { Duration } from '../graph';
import type { MatterState, Timer } from './types';

export const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** Calendar units are plain arithmetic; working days need the official calendar (an activity). */
export function dueAtWithoutCalendar(from: number, duration: Duration): number | undefined {
  if (duration.unit === 'workingDays') return undefined;
  return from + duration.amount * UNIT_MS[duration.unit];
}

export function addTimer(state: MatterState, timer: Omit<Timer, 'dueAt'>): void {
  // 民法典 Arts. 201–203: a period in days ends at 24:00 of its last day, rolled past a holiday, so
  // it needs the calendar too (the workflow asks the calendar activity, activities/calendar.ts).
  const byCalendar = timer.duration.unit === 'days' && state.rules?.civilCodeDays === true;
  const dueAt = byCalendar ? undefined : dueAtWithoutCalendar(timer.from, timer.duration);
  state.timers.push(dueAt === undefined ? { ...timer } : { ...timer, dueAt });
}

/** Timers the workflow must still date (working days) or wait for. */
export function timersToSchedule(state: MatterState): Timer[] {
  return state.timers.filter((t) => t.dueAt === undefined);
}

export function nextDueTimer(state: MatterState): Timer | undefined {
  let next: Timer | undefined;
  for (const t of state.timers) {
    if (t.dueAt === undefined) continue;
    if (state.deferredTimers.includes(t.id)) continue;
    if (!next || t.dueAt < (next.dueAt ?? Infinity)) next = t;
  }
  return next;
}
