/**
 * The procedure engine: a pure, deterministic function `(graph, state, event) → state`.
 * It runs inside the workflow sandbox, so: no I/O, no clock (time comes in on the event),
 * no randomness. Every decision about a matter is taken here and nowhere else.
 *
 * Its modules, along its seams: types (state, events, refusals), tokens (flow), feel (gateway
 * conditions), roles and actions (who may do what, validation, application), recusal (回避),
 * objections, disclosure (windows held by opinions), timers, split payment (化整为零), record
 * (the chained record entries), start and apply. This file is the engine's public surface.
 */
export { applyEvent } from './apply';
export { validateAction } from './actions';
export { feelName } from './feel';
export { partiesOf, recusalsAt } from './recusal';
export { actionsFor, matterActionRoles, roleSatisfies } from './roles';
export { splitCheckDue } from './split-payment';
export { startMatter } from './start';
export { dueAtWithoutCalendar, nextDueTimer, timersToSchedule } from './timers';
export {
  ActionErrorCode,
  EngineError,
  type ActionProblem,
  type ActiveStep,
  type Actor,
  type EngineEvent,
  type MatterRules,
  type MatterState,
  type MatterStatus,
  type MeetingRecord,
  type Notice,
  type Objection,
  type Party,
  type RecordEntry,
  type Recusal,
  type SplitWarning,
  type StartInput,
  type Timer,
} from './types';
