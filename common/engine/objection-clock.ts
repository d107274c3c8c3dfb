import { feelName } from './feel';
import { addRecord } from './record';
import { iso } from './support';
import { addTimer } from './timers';
import type { EngineEvent, MatterState, Objection } from './types';

/**
 * 招标投标法实施条例 Art. 54: an objection raised while a step the policy names is open (the
 * candidates' disclosure) must be answered within the policy's time. The clock is a timer of the
 * matter; it runs while the matter is suspended (that is when it matters) and stops at the answer.
 */
export function startAnswerClock(
  state: MatterState,
  objection: Objection,
  event: Extract<EngineEvent, { type: 'act' }>,
) {
  const deadlines = event.objectionDeadlines ?? {};
  const keyOf = (step: string) => `${feelName(state.procedureId)}.${feelName(step)}`;
  const step = Object.keys(state.active).find((s) => deadlines[keyOf(s)] !== undefined);
  const within = step === undefined ? undefined : deadlines[keyOf(step)];
  if (step === undefined || within === undefined) return;
  objection.answerWithin = within;
  addTimer(state, {
    id: `${objection.id}#answer`,
    kind: 'objection-answer',
    node: step,
    objection: objection.id,
    duration: within,
    from: event.at,
  });
  const dueAt = state.timers.at(-1)?.dueAt;
  if (dueAt !== undefined) objection.answerDueAt = iso(dueAt);
}

export function stopAnswerClock(state: MatterState, objectionId: string): void {
  state.timers = state.timers.filter((t) => t.objection !== objectionId);
}

/** The answer time passed with the objection unanswered: it is overdue, and the town is called on. */
export function answerOverdue(state: MatterState, objectionId: string, step: string, at: number): void {
  const objection = state.objections.find((o) => o.id === objectionId);
  if (!objection || objection.status !== 'open') return;
  objection.overdueSince = iso(at);
  addRecord(state, at, {
    userId: 'system',
    role: 'system',
    step,
    action: 'objection-overdue',
    data: { objectionId, escalatedTo: 'town-official' },
  });
}
