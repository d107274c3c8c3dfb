import { evaluate } from 'feelin';
import { z } from 'zod';
import { ErrorCode } from './errors';
import { fieldsSchema } from './fields';
import type { Duration, GraphNode, MeetingBody, NodeOfType, PartyKind, ProcedureGraph, Role, Step } from './graph';
import { MeetingCountsSchema, MeetingRulesSchema, judgeMeeting, type MeetingResult } from './meeting';
import { chainAll, chainEntry, headOf, needsChaining } from './record-chain';

/**
 * The procedure engine: a pure, deterministic function `(graph, state, event) → state`.
 * It runs inside the workflow sandbox, so: no I/O, no clock (time comes in on the event),
 * no randomness. Every decision about a matter is taken here and nowhere else.
 */

/** The refusals an action can meet; their codes live with every other code in common/errors.ts. */
export const ActionErrorCode = {
  StepNotActive: ErrorCode.StepNotActive,
  ActionNotAllowed: ErrorCode.ActionNotAllowed,
  RoleNotAllowed: ErrorCode.RoleNotAllowed,
  Recused: ErrorCode.Recused,
  InvalidData: ErrorCode.InvalidData,
  ReasonRequired: ErrorCode.ReasonRequired,
  Suspended: ErrorCode.Suspended,
  Ended: ErrorCode.Ended,
  NoSuchObjection: ErrorCode.NoSuchObjection,
  LinkRequired: ErrorCode.LinkRequired,
} as const;
export type ActionErrorCode = (typeof ActionErrorCode)[keyof typeof ActionErrorCode];

export interface ActionProblem {
  code: ActionErrorCode;
  message: string;
  details?: { field: string; message: string }[];
}

export class EngineError extends Error {
  override name = 'EngineError';
}

export interface Actor {
  userId: string;
  /** The role the person acts in (they may hold several). */
  role: Role;
  /** The person's name from the directory: recusal compares it with the parties a matter names. */
  name?: string;
}

export interface RecordEntry {
  seq: number;
  at: string;
  userId: string;
  /** the person's name from the directory, when the API knew it (entries of older code have none) */
  name?: string;
  role: Role | 'system';
  step: string | null;
  action: string;
  decision?: string;
  reason?: string;
  data?: Record<string, unknown>;
  /** hash of the entry before (common/record-chain.ts); absent only in states carried from older code */
  prev?: string;
  /** sha256 of this entry's content and `prev` */
  hash?: string;
}

/** A party the matter names (a payee, bidder or counterparty), as recorded at a step. */
export interface Party {
  kind: PartyKind;
  step: string;
  field: string;
  value: string;
}

/** Who may not act at a step, and why. */
export interface Recusal {
  /** a user id (initiator, recorder) or the value of a party field (a name or a user id) */
  who: string;
  why: 'initiator' | 'recorder' | PartyKind;
}

export interface MeetingRecord {
  step: string;
  body: MeetingBody;
  date: string;
  counts: z.infer<typeof MeetingCountsSchema>;
  minutesHash: string;
  result: MeetingResult;
  recordedBy: string;
  witnessedBy?: string;
  /** confirmed: stands; objected: the witness refused it, so it must be recorded again */
  status: 'pending-witness' | 'confirmed' | 'objected';
}

export interface ActiveStep {
  step: string;
  since: string;
  phase: 'open' | 'awaiting-witness';
  /** index into state.meetings of the record awaiting a witness */
  pendingMeeting?: number;
  /** meeting: the step's own fields from the record awaiting a witness */
  pendingFields?: Record<string, unknown>;
  /** disclosure: the window has ended but open opinions hold the step */
  windowEnded?: boolean;
}

export interface Timer {
  id: string;
  kind: 'catch' | 'boundary' | 'window' | 'deadline';
  node: string;
  duration: Duration;
  from: number;
  /** epoch ms; undefined until the workflow has computed it (working days need the calendar) */
  dueAt?: number;
}

export interface Objection {
  id: string;
  raisedBy: string;
  reason: string;
  step: string | null;
  at: string;
  status: 'open' | 'answered' | 'resolved';
  answer?: string;
  resolution?: string;
}

export interface Notice {
  step: string;
  publishedAt: string;
  endsAt?: string;
}

export type MatterStatus = 'running' | 'suspended' | 'ended';

export interface MatterState {
  matterId: string;
  procedureId: string;
  version: string;
  village: string;
  title: string;
  initiator: string;
  startedAt: string;
  status: MatterStatus;
  outcome?: string;
  /** Warnings for the supervisors (化整为零); they never block a step. */
  warnings?: SplitWarning[];
  /** the split-payment check has run for this matter */
  splitChecked?: boolean;
  /** Matters this one links to (verified by the API when the matter started). */
  links: string[];
  /** Payees, bidders and counterparties named at any step so far (recusal); absent in older states. */
  parties?: Party[];
  /** The matter's money: the latest value of an `amount` field submitted at any step (yuan). */
  amount?: number;
  /** nodes holding a token that waits: user tasks, timers, service tasks */
  tokens: string[];
  active: Record<string, ActiveStep>;
  joins: Record<string, string[]>;
  timers: Timer[];
  /** timers that fired while the matter was suspended; they take effect on resumption */
  deferredTimers: string[];
  pendingServiceTasks: string[];
  completedSteps: string[];
  takenFlows: string[];
  variables: Record<string, Record<string, unknown>>;
  meetings: MeetingRecord[];
  objections: Objection[];
  notices: Notice[];
  openOpinions: Record<string, number>;
  /** which disclosure steps each open opinion holds (民意直通车); absent in matters from before opinions */
  opinionHolds?: Record<string, string[]>;
  record: RecordEntry[];
  seq: number;
}

export interface SplitWarning {
  kind: 'split-payment';
  payee: string;
  tier: number;
  total: number;
  windowDays: number;
  matters: string[];
  at: string;
}

export interface StartInput {
  matterId: string;
  village: string;
  title: string;
  initiator: Actor;
  links?: string[];
}

export type EngineEvent =
  | { type: 'act'; at: number; actor: Actor; step: string | null; action: string; data?: unknown; comment?: string }
  | { type: 'timer-fired'; at: number; timerId: string }
  | { type: 'timer-scheduled'; at: number; timerId: string; dueAt: number }
  | { type: 'service-done'; at: number; node: string }
  | { type: 'opinion-filed'; at: number; opinionId: string }
  | { type: 'opinion-answered'; at: number; opinionId: string }
  | { type: 'split-checked'; at: number; payee: string; others: { matterId: string; amount: number }[] };

// ---------------------------------------------------------------- helpers

/** FEEL names cannot contain `-` (it is subtraction): step `party-review` is `partyReview` there. */
export function feelName(stepId: string): string {
  return stepId.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** Calendar units are plain arithmetic; working days need the official calendar (an activity). */
export function dueAtWithoutCalendar(from: number, duration: Duration): number | undefined {
  if (duration.unit === 'workingDays') return undefined;
  return from + duration.amount * UNIT_MS[duration.unit];
}

/** Secretary and director are members of the two committees; the chair is a supervisor. */
export function roleSatisfies(held: Role, required: Role): boolean {
  if (held === required) return true;
  if (required === 'committee') return held === 'secretary' || held === 'director';
  if (required === 'supervisor') return held === 'supervisor-chair';
  return false;
}

function node(graph: ProcedureGraph, id: string): GraphNode {
  const found = graph.nodes[id];
  if (!found) throw new EngineError(`unknown node ${id}`);
  return found;
}

function userTask(graph: ProcedureGraph, id: string): NodeOfType<'userTask'> | undefined {
  const found = graph.nodes[id];
  return found?.type === 'userTask' ? found : undefined;
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Who acted, on what, as a record entry begins (the name only when the API knew it). */
function recordedBy(event: Extract<EngineEvent, { type: 'act' }>) {
  const { actor } = event;
  return {
    userId: actor.userId,
    ...(actor.name ? { name: actor.name } : {}),
    role: actor.role,
    step: event.step,
    action: event.action,
  };
}

function addRecord(state: MatterState, at: number, entry: Omit<RecordEntry, 'seq' | 'at' | 'prev' | 'hash'>): void {
  // A state carried from code that kept no chain is linked, in order, before it grows.
  if (needsChaining(state.record)) state.record = chainAll(state.record);
  state.seq += 1;
  state.record.push(chainEntry({ seq: state.seq, at: iso(at), ...entry }, headOf(state.record)));
}

function addTimer(state: MatterState, timer: Omit<Timer, 'dueAt'>): void {
  const dueAt = dueAtWithoutCalendar(timer.from, timer.duration);
  state.timers.push(dueAt === undefined ? { ...timer } : { ...timer, dueAt });
}

// ---------------------------------------------------------------- start

export function startMatter(graph: ProcedureGraph, input: StartInput, at: number): MatterState {
  const state: MatterState = {
    matterId: input.matterId,
    procedureId: graph.id,
    version: graph.version,
    village: input.village,
    title: input.title,
    initiator: input.initiator.userId,
    startedAt: iso(at),
    status: 'running',
    links: input.links ?? [],
    tokens: [],
    active: {},
    joins: {},
    timers: [],
    deferredTimers: [],
    pendingServiceTasks: [],
    completedSteps: [],
    takenFlows: [],
    variables: {},
    meetings: [],
    objections: [],
    notices: [],
    openOpinions: {},
    record: [],
    seq: 0,
  };
  addRecord(state, at, {
    userId: input.initiator.userId,
    ...(input.initiator.name ? { name: input.initiator.name } : {}),
    role: input.initiator.role,
    step: null,
    action: 'start',
    data: { title: input.title, village: input.village, procedure: graph.id, version: graph.version },
  });
  leave(graph, state, graph.startEvent, at);
  return state;
}

// ---------------------------------------------------------------- token movement

function leave(graph: ProcedureGraph, state: MatterState, nodeId: string, at: number): void {
  const from = node(graph, nodeId);
  if (from.type === 'exclusiveGateway') {
    take(graph, state, chooseFlow(graph, state, from), at);
    return;
  }
  for (const flowId of from.outgoing) take(graph, state, flowId, at);
}

function take(graph: ProcedureGraph, state: MatterState, flowId: string, at: number): void {
  const flow = graph.flows[flowId];
  if (!flow) throw new EngineError(`unknown flow ${flowId}`);
  state.takenFlows.push(flowId);
  enter(graph, state, flow.target, flowId, at);
}

function enter(graph: ProcedureGraph, state: MatterState, nodeId: string, viaFlow: string, at: number): void {
  const target = node(graph, nodeId);
  switch (target.type) {
    case 'startEvent':
      throw new EngineError(`flow ${viaFlow} enters the start event`);
    case 'endEvent': {
      // A path that only a non-interrupting timer opens (a reminder, an escalation) does not
      // decide how the matter ended: the main path does, whichever finishes first.
      const sidePath = !reachableFromStart(graph).has(target.id);
      if (!sidePath || state.outcome === undefined) state.outcome = target.outcome;
      if (state.tokens.length === 0) endMatter(state, state.outcome ?? target.outcome, at);
      return;
    }
    case 'userTask':
      activate(graph, state, target, at);
      return;
    case 'serviceTask':
      state.tokens.push(target.id);
      state.pendingServiceTasks.push(target.id);
      return;
    case 'exclusiveGateway':
      leave(graph, state, target.id, at);
      return;
    case 'parallelGateway': {
      if (target.incoming.length <= 1) {
        leave(graph, state, target.id, at);
        return;
      }
      const arrived = new Set([...(state.joins[target.id] ?? []), viaFlow]);
      if (target.incoming.every((f) => arrived.has(f))) {
        delete state.joins[target.id];
        leave(graph, state, target.id, at);
      } else {
        state.joins[target.id] = [...arrived];
      }
      return;
    }
    case 'timerCatchEvent':
      state.tokens.push(target.id);
      addTimer(state, {
        id: `${target.id}#${state.seq}-${state.takenFlows.length}`,
        kind: 'catch',
        node: target.id,
        duration: target.duration,
        from: at,
      });
      return;
    case 'boundaryTimerEvent':
      throw new EngineError(`flow ${viaFlow} enters boundary event ${target.id}`);
  }
}

const reachableCache = new WeakMap<ProcedureGraph, Set<string>>();

/** Nodes reachable from the start event along sequence flows (boundary events are not). */
function reachableFromStart(graph: ProcedureGraph): Set<string> {
  const cached = reachableCache.get(graph);
  if (cached) return cached;
  const seen = new Set<string>([graph.startEvent]);
  const queue = [graph.startEvent];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const flowId of graph.nodes[id]?.outgoing ?? []) {
      const target = graph.flows[flowId]?.target;
      if (target !== undefined && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  reachableCache.set(graph, seen);
  return seen;
}

function endMatter(state: MatterState, outcome: string, at: number): void {
  state.status = 'ended';
  state.outcome = outcome;
  state.active = {};
  state.timers = [];
  state.tokens = [];
  addRecord(state, at, { userId: 'system', role: 'system', step: null, action: 'end', decision: outcome });
}

function feelContext(graph: ProcedureGraph, state: MatterState): Record<string, unknown> {
  const steps: Record<string, unknown> = {};
  for (const [stepId, vars] of Object.entries(state.variables)) steps[feelName(stepId)] = vars;
  return { ...steps, policy: graph.policy, matter: { village: state.village, procedure: state.procedureId } };
}

function chooseFlow(graph: ProcedureGraph, state: MatterState, gateway: NodeOfType<'exclusiveGateway'>): string {
  const context = feelContext(graph, state);
  for (const flowId of gateway.outgoing) {
    if (flowId === gateway.default) continue;
    const condition = graph.flows[flowId]?.condition;
    if (condition === undefined) continue;
    // feelin returns null for a comparison with a missing value: that is "not taken".
    if (evaluate(condition, context).value === true) return flowId;
  }
  if (gateway.default) return gateway.default;
  throw new EngineError(`gateway ${gateway.id}: no condition holds and there is no default flow`);
}

function activate(graph: ProcedureGraph, state: MatterState, task: NodeOfType<'userTask'>, at: number): void {
  state.tokens.push(task.id);
  state.active[task.id] = { step: task.id, since: iso(at), phase: 'open' };
  const step = task.step;
  if (step.deadline)
    addTimer(state, {
      id: `${task.id}#deadline-${state.seq}`,
      kind: 'deadline',
      node: task.id,
      duration: step.deadline,
      from: at,
    });
  if (step.kind === 'disclosure' && step.window) {
    // 一事一公开: the notice goes up the moment the step starts.
    state.notices.push({ step: task.id, publishedAt: iso(at) });
    addTimer(state, {
      id: `${task.id}#window-${state.seq}`,
      kind: 'window',
      node: task.id,
      duration: step.window,
      from: at,
    });
  }
  for (const boundary of Object.values(graph.nodes)) {
    if (boundary.type === 'boundaryTimerEvent' && boundary.attachedTo === task.id) {
      addTimer(state, {
        id: `${boundary.id}#${state.seq}`,
        kind: 'boundary',
        node: boundary.id,
        duration: boundary.duration,
        from: at,
      });
    }
  }
}

function removeToken(state: MatterState, nodeId: string): void {
  const index = state.tokens.indexOf(nodeId);
  if (index >= 0) state.tokens.splice(index, 1);
}

function deactivate(graph: ProcedureGraph, state: MatterState, taskId: string): void {
  delete state.active[taskId];
  removeToken(state, taskId);
  state.timers = state.timers.filter((t) => {
    if (t.node === taskId) return false;
    const n = graph.nodes[t.node];
    return !(n?.type === 'boundaryTimerEvent' && n.attachedTo === taskId);
  });
}

function completeStep(
  graph: ProcedureGraph,
  state: MatterState,
  taskId: string,
  vars: Record<string, unknown>,
  at: number,
): void {
  deactivate(graph, state, taskId);
  state.variables[taskId] = vars;
  noteParties(graph, state, taskId, vars);
  state.completedSteps.push(taskId);
  leave(graph, state, taskId, at);
}

// ---------------------------------------------------------------- actions

const MeetingRecordDataBase = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'),
  minutesHash: z.string().regex(/^[0-9a-f]{64}$/, 'minutesHash must be the sha256 hex digest of the minutes file'),
  body: z.string().optional(),
});

/** Which actions a step kind takes, in which phase, and who may take them. */
export function actionsFor(step: Step, phase: ActiveStep['phase']): Record<string, Role[]> {
  switch (step.kind) {
    case 'submit':
    case 'record':
      return { submit: step.roles };
    case 'review':
      return { approve: step.roles, object: step.roles };
    case 'approval':
      return { approve: step.roles, reject: step.roles };
    case 'meeting':
      return phase === 'open' ? { record: step.roles } : { confirm: ['supervisor'], 'object-record': ['supervisor'] };
    case 'disclosure':
      return {};
  }
}

/** Who may take the actions on a whole matter (objections). */
export const matterActionRoles: Record<string, Role[]> = {
  'raise-objection': ['supervisor'],
  'answer-objection': ['committee'],
  'accept-answer': ['supervisor'],
  'rule-objection': ['town-official'],
};

function problem(code: ActionErrorCode, message: string, details?: ActionProblem['details']): ActionProblem {
  return details ? { code, message, details } : { code, message };
}

function zodDetails(error: z.ZodError, prefix = 'data'): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

const ObjectionIdSchema = z.object({ objectionId: z.string().min(1) });
const AnswerSchema = ObjectionIdSchema.extend({
  answer: z.string().trim().min(1, 'answer must not be empty').max(5000),
});
const RulingSchema = ObjectionIdSchema.extend({
  ruling: z.enum(['uphold', 'dismiss']),
  /** uphold: the step to go back to, or omitted to stop the matter */
  backTo: z.string().optional(),
});

/**
 * The synchronous validator of an action. Returns the first problem, or undefined when the
 * action may be applied. Never mutates.
 */
export function validateAction(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'act' }>,
): ActionProblem | undefined {
  const { actor, action } = event;
  if (state.status === 'ended') return problem(ActionErrorCode.Ended, `the matter has ended (${state.outcome ?? ''})`);

  const matterRoles = matterActionRoles[action];
  if (matterRoles) return validateMatterAction(graph, state, event, matterRoles);

  if (state.status === 'suspended') {
    return problem(
      ActionErrorCode.Suspended,
      'the matter is suspended by an objection; no step may complete until it is resolved',
    );
  }
  const stepId = event.step;
  const task = stepId ? userTask(graph, stepId) : undefined;
  const active = stepId ? state.active[stepId] : undefined;
  if (!stepId || !task || !active) {
    const open = Object.keys(state.active).join(', ') || 'none';
    return problem(ActionErrorCode.StepNotActive, `step ${stepId ?? '(none)'} is not active (active: ${open})`);
  }
  const allowed = actionsFor(task.step, active.phase);
  const roles = allowed[action];
  if (!roles) {
    const names = Object.keys(allowed);
    return problem(
      ActionErrorCode.ActionNotAllowed,
      names.length > 0
        ? `step ${stepId} takes ${names.join(' or ')} now, not ${action}`
        : `step ${stepId} completes by itself when its window ends`,
    );
  }
  if (!roles.some((r) => roleSatisfies(actor.role, r))) {
    return problem(
      ActionErrorCode.RoleNotAllowed,
      `role ${actor.role} may not ${action} at step ${stepId} (allowed: ${roles.join(', ')})`,
    );
  }

  const reason = event.comment?.trim();
  switch (action) {
    case 'object':
    case 'reject':
    case 'object-record':
      if (!reason)
        return problem(ActionErrorCode.ReasonRequired, `${action} needs a reason (comment)`, [
          { field: 'comment', message: 'a reason is required' },
        ]);
      break;
  }
  const recusal = recusalOf(actor, recusalsAt(graph, state, stepId));
  if (recusal) return problem(ActionErrorCode.Recused, recusalMessage(actor, recusal, stepId));
  const dataProblem = validateStepData(graph, task.step, action, event.data);
  return dataProblem ?? linkProblem(graph, state, stepId, event.data);
}

// ---------------------------------------------------------------- recusal (回避)

/** Values of the party fields of a completed step, remembered so a later step can recuse them. */
function noteParties(graph: ProcedureGraph, state: MatterState, stepId: string, vars: Record<string, unknown>): void {
  const task = userTask(graph, stepId);
  if (!task) return;
  for (const field of task.step.fields) {
    const value = vars[field.name];
    if (!field.party || typeof value !== 'string' || value.trim() === '') continue;
    const party: Party = { kind: field.party, step: stepId, field: field.name, value: value.trim() };
    const parties = state.parties ?? [];
    if (!parties.some((p) => p.kind === party.kind && p.value === party.value)) state.parties = [...parties, party];
  }
}

/**
 * The parties a matter names: those remembered, and (for a state carried from older code, which
 * remembered none) the party fields of the steps completed so far.
 */
export function partiesOf(graph: ProcedureGraph, state: MatterState): Party[] {
  const parties = [...(state.parties ?? [])];
  for (const [stepId, vars] of Object.entries(state.variables)) {
    for (const field of userTask(graph, stepId)?.step.fields ?? []) {
      const value = vars[field.name];
      if (!field.party || typeof value !== 'string' || value.trim() === '') continue;
      if (!parties.some((p) => p.kind === field.party && p.value === value.trim()))
        parties.push({ kind: field.party, step: stepId, field: field.name, value: value.trim() });
    }
  }
  return parties;
}

/**
 * 回避: who may not act at an active step now. Reviews and approvals: whoever started the matter
 * and its payee, bidder or counterparty. Witnessing a meeting record: the same, and its recorder.
 */
export function recusalsAt(graph: ProcedureGraph, state: MatterState, stepId: string): Recusal[] {
  const task = userTask(graph, stepId);
  const active = state.active[stepId];
  if (!task || !active) return [];
  const witnessing = active.phase === 'awaiting-witness';
  if (!witnessing && task.step.kind !== 'review' && task.step.kind !== 'approval') return [];
  const out: Recusal[] = [{ who: state.initiator, why: 'initiator' }];
  if (witnessing) {
    const pending = active.pendingMeeting === undefined ? undefined : state.meetings[active.pendingMeeting];
    if (pending) out.push({ who: pending.recordedBy, why: 'recorder' });
    // the record awaiting a witness may itself name a party (a contractor awarded directly)
    for (const field of task.step.fields) {
      const value = active.pendingFields?.[field.name];
      if (field.party && typeof value === 'string' && value.trim() !== '')
        out.push({ who: value.trim(), why: field.party });
    }
  }
  for (const party of partiesOf(graph, state)) out.push({ who: party.value, why: party.kind });
  return out;
}

/** Initiator and recorder are user ids; a party is written as a name or a user id, so both are compared. */
function recusalOf(actor: Actor, recusals: Recusal[]): Recusal | undefined {
  const id = actor.userId.trim();
  const name = actor.name?.trim();
  return recusals.find((r) =>
    r.why === 'initiator' || r.why === 'recorder' ? r.who === id : r.who === id || (!!name && r.who === name),
  );
}

const RECUSAL_WORDS: Record<Recusal['why'], { zh: string; en: string }> = {
  initiator: { zh: '发起了本事项', en: 'started this matter' },
  recorder: { zh: '记录了这次会议', en: 'recorded this meeting' },
  payee: { zh: '是本事项的收款人', en: 'is the payee of this matter' },
  bidder: { zh: '是本事项的投标人或竞买人', en: 'is a bidder in this matter' },
  counterparty: { zh: '是本事项的合同对方', en: 'is the counterparty of this matter' },
};

function recusalMessage(actor: Actor, recusal: Recusal, stepId: string): string {
  const words = RECUSAL_WORDS[recusal.why];
  return `${actor.userId} ${words.zh}，须回避 ${stepId} / ${actor.userId} ${words.en} and must recuse from ${stepId}`;
}

/** Above the procedure's threshold, the amount needs a linked decision (checked by the API at start). */
function linkProblem(
  graph: ProcedureGraph,
  state: MatterState,
  stepId: string,
  data: unknown,
): ActionProblem | undefined {
  const link = graph.link;
  if (!link || link.step !== stepId || (state.links ?? []).length > 0) return undefined;
  const value = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[link.field] : undefined;
  if (typeof value !== 'number' || value <= link.above) return undefined;
  return problem(
    ActionErrorCode.LinkRequired,
    `${link.field} ${value} is above ${link.above}: start the matter linked to a completed ${link.procedure} of this village`,
    [{ field: `data.${link.field}`, message: `above ${link.above} needs a linked ${link.procedure}` }],
  );
}

/** A meeting record holds the step's own fields and the record proper (body, date, counts, minutes). */
function splitMeetingData(step: Step, data: unknown): { own: Record<string, unknown>; rest: Record<string, unknown> } {
  const fieldNames = new Set(step.fields.map((f) => f.name));
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  const raw = typeof data === 'object' && data !== null ? Object.entries(data) : [];
  for (const [k, v] of raw) (fieldNames.has(k) ? own : rest)[k] = v;
  return { own, rest };
}

function validateStepData(graph: ProcedureGraph, step: Step, action: string, data: unknown): ActionProblem | undefined {
  const invalid = (error: z.ZodError) =>
    problem(
      ActionErrorCode.InvalidData,
      `invalid data: ${zodDetails(error)
        .map((d) => `${d.field}: ${d.message}`)
        .join('; ')}`,
      zodDetails(error),
    );
  if (action === 'submit') {
    const parsed = fieldsSchema(step.fields).safeParse(data ?? {});
    return parsed.success ? undefined : invalid(parsed.error);
  }
  if (action === 'record') {
    const { own, rest } = splitMeetingData(step, data);
    const meta = MeetingRecordDataBase.and(MeetingCountsSchema).safeParse(rest);
    if (!meta.success) return invalid(meta.error);
    const bodies = step.bodies ?? [];
    const body = meta.data.body ?? (bodies.length === 1 ? bodies[0] : undefined);
    if (!body || !bodies.includes(body as MeetingBody)) {
      return problem(ActionErrorCode.InvalidData, `body must be one of ${bodies.join(', ')}`, [
        { field: 'data.body', message: `must be one of ${bodies.join(', ')}` },
      ]);
    }
    const rules = MeetingRulesSchema.safeParse(graph.policy.meetingRules);
    if (!rules.success || !rules.data[body as MeetingBody])
      throw new EngineError(`policy has no meeting rule for ${body}`);
    if (body === 'villagers' && meta.data.households !== undefined && meta.data.householdsRepresented === undefined) {
      return problem(ActionErrorCode.InvalidData, 'householdsRepresented is needed with households', [
        { field: 'data.householdsRepresented', message: 'required with households' },
      ]);
    }
    const fields = fieldsSchema(step.fields).safeParse(own);
    return fields.success ? undefined : invalid(fields.error);
  }
  return undefined;
}

function validateMatterAction(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'act' }>,
  roles: Role[],
): ActionProblem | undefined {
  const { actor, action } = event;
  if (!roles.some((r) => roleSatisfies(actor.role, r))) {
    return problem(
      ActionErrorCode.RoleNotAllowed,
      `role ${actor.role} may not ${action} (allowed: ${roles.join(', ')})`,
    );
  }
  if (action === 'raise-objection') {
    if (!event.comment?.trim())
      return problem(ActionErrorCode.ReasonRequired, 'an objection needs a reason (comment)', [
        { field: 'comment', message: 'a reason is required' },
      ]);
    if (event.step !== null && !graph.nodes[event.step])
      return problem(ActionErrorCode.InvalidData, `unknown step ${event.step}`);
    return undefined;
  }
  const schema =
    action === 'answer-objection' ? AnswerSchema : action === 'rule-objection' ? RulingSchema : ObjectionIdSchema;
  const parsed = schema.safeParse(event.data ?? {});
  if (!parsed.success) return problem(ActionErrorCode.InvalidData, 'invalid data', zodDetails(parsed.error));
  const objection = state.objections.find((o) => o.id === parsed.data.objectionId);
  if (!objection || objection.status === 'resolved')
    return problem(ActionErrorCode.NoSuchObjection, `no open objection ${parsed.data.objectionId}`);
  if (action === 'accept-answer' && objection.status !== 'answered') {
    return problem(ActionErrorCode.ActionNotAllowed, `objection ${objection.id} has not been answered yet`);
  }
  if (action === 'rule-objection') {
    const ruling = RulingSchema.parse(event.data);
    if (ruling.ruling === 'uphold' && ruling.backTo !== undefined && !userTask(graph, ruling.backTo)) {
      return problem(ActionErrorCode.InvalidData, `backTo must be a step of this procedure`, [
        { field: 'data.backTo', message: 'unknown step' },
      ]);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- apply

export function applyEvent(graph: ProcedureGraph, current: MatterState, event: EngineEvent): MatterState {
  const state = clone(current);
  switch (event.type) {
    case 'act': {
      const p = validateAction(graph, state, event);
      if (p) throw new EngineError(`${p.code}: ${p.message}`);
      applyAction(graph, state, event);
      break;
    }
    case 'timer-scheduled': {
      const timer = state.timers.find((t) => t.id === event.timerId);
      if (timer) timer.dueAt = event.dueAt;
      break;
    }
    case 'timer-fired':
      fireTimer(graph, state, event.timerId, event.at);
      break;
    case 'split-checked':
      checkSplit(graph, state, event);
      break;
    case 'opinion-filed':
    case 'opinion-answered':
      holdForOpinion(graph, state, event);
      break;
    case 'service-done':
      if (!state.pendingServiceTasks.includes(event.node)) break;
      state.pendingServiceTasks = state.pendingServiceTasks.filter((n) => n !== event.node);
      removeToken(state, event.node);
      addRecord(state, event.at, { userId: 'system', role: 'system', step: event.node, action: 'service-done' });
      leave(graph, state, event.node, event.at);
      break;
  }
  return state;
}

function applyAction(graph: ProcedureGraph, state: MatterState, event: Extract<EngineEvent, { type: 'act' }>): void {
  const { actor, action, at } = event;
  const reason = event.comment?.trim() || undefined;
  const base = recordedBy(event);

  if (action in matterActionRoles) {
    applyMatterAction(graph, state, event);
    return;
  }
  const stepId = event.step ?? '';
  const task = userTask(graph, stepId);
  const active = state.active[stepId];
  if (!task || !active) throw new EngineError(`step ${stepId} not active`);
  const data = (event.data ?? {}) as Record<string, unknown>;

  switch (action) {
    case 'submit': {
      const parsed = fieldsSchema(task.step.fields).parse(data);
      addRecord(state, at, { ...base, data: parsed, ...(reason ? { reason } : {}) });
      const amountField = task.step.fields.find((f) => f.type === 'amount' && typeof parsed[f.name] === 'number');
      if (amountField) state.amount = parsed[amountField.name] as number;
      completeStep(graph, state, stepId, parsed, at);
      return;
    }
    case 'approve':
    case 'object':
    case 'reject': {
      const decision = action === 'approve' ? 'approved' : action === 'object' ? 'objected' : 'rejected';
      addRecord(state, at, { ...base, decision, ...(reason ? { reason } : {}) });
      completeStep(graph, state, stepId, { decision, ...(reason ? { reason } : {}) }, at);
      return;
    }
    case 'record': {
      const { own, rest } = splitMeetingData(task.step, data);
      const meta = MeetingRecordDataBase.and(MeetingCountsSchema).parse(rest);
      const bodies = task.step.bodies ?? [];
      const body = (meta.body ?? bodies[0]) as MeetingBody;
      const rules = MeetingRulesSchema.parse(graph.policy.meetingRules);
      const counts = MeetingCountsSchema.parse(rest);
      const result = judgeMeeting(body, counts, rules);
      state.meetings.push({
        step: stepId,
        body,
        date: meta.date,
        counts,
        minutesHash: meta.minutesHash,
        result,
        recordedBy: actor.userId,
        status: 'pending-witness',
      });
      active.phase = 'awaiting-witness';
      active.pendingMeeting = state.meetings.length - 1;
      active.pendingFields = own;
      addRecord(state, at, {
        ...base,
        decision: result,
        data: { body, date: meta.date, ...counts, minutesHash: meta.minutesHash, ...own },
      });
      return;
    }
    case 'confirm':
    case 'object-record': {
      const meeting = state.meetings[active.pendingMeeting ?? -1];
      if (!meeting) throw new EngineError(`no meeting awaits a witness at ${stepId}`);
      const own = active.pendingFields ?? {};
      delete active.pendingFields;
      meeting.witnessedBy = actor.userId;
      active.phase = 'open';
      delete active.pendingMeeting;
      if (action === 'object-record') {
        meeting.status = 'objected';
        addRecord(state, at, { ...base, decision: 'objected', ...(reason ? { reason } : {}) });
        return;
      }
      meeting.status = 'confirmed';
      addRecord(state, at, { ...base, decision: 'confirmed', ...(reason ? { reason } : {}) });
      // An inquorate meeting is recorded as such and held again; it is not a rejection.
      if (meeting.result === 'inquorate') return;
      completeStep(graph, state, stepId, { outcome: meeting.result, body: meeting.body, ...own }, at);
      return;
    }
  }
  throw new EngineError(`unknown action ${action}`);
}

function applyMatterAction(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'act' }>,
): void {
  const { actor, action, at } = event;
  const reason = event.comment?.trim() || undefined;
  const base = recordedBy(event);
  if (action === 'raise-objection') {
    const id = `objection-${state.objections.length + 1}`;
    state.objections.push({
      id,
      raisedBy: actor.userId,
      reason: reason ?? '',
      step: event.step,
      at: iso(at),
      status: 'open',
    });
    state.status = 'suspended';
    addRecord(state, at, { ...base, decision: 'objected', reason, data: { objectionId: id } });
    return;
  }
  const { objectionId } = ObjectionIdSchema.parse(event.data);
  const objection = state.objections.find((o) => o.id === objectionId);
  if (!objection) throw new EngineError(`no objection ${objectionId}`);
  if (action === 'answer-objection') {
    const { answer } = AnswerSchema.parse(event.data);
    objection.answer = answer;
    objection.status = 'answered';
    addRecord(state, at, { ...base, data: { objectionId, answer } });
    return;
  }
  if (action === 'accept-answer') {
    objection.status = 'resolved';
    objection.resolution = 'answer accepted';
    addRecord(state, at, { ...base, decision: 'accepted', ...(reason ? { reason } : {}), data: { objectionId } });
    resumeIfClear(graph, state, at);
    return;
  }
  const ruling = RulingSchema.parse(event.data);
  objection.status = 'resolved';
  addRecord(state, at, {
    ...base,
    decision: ruling.ruling,
    ...(reason ? { reason } : {}),
    data: { objectionId, ...(ruling.backTo ? { backTo: ruling.backTo } : {}) },
  });
  if (ruling.ruling === 'dismiss') {
    objection.resolution = 'dismissed by the town';
    resumeIfClear(graph, state, at);
    return;
  }
  if (ruling.backTo === undefined) {
    objection.resolution = 'upheld: matter stopped';
    endMatter(state, 'stopped', at);
    return;
  }
  objection.resolution = `upheld: back to ${ruling.backTo}`;
  // Back to a named step: every running branch is abandoned and the matter resumes there.
  for (const id of Object.keys(state.active)) deactivate(graph, state, id);
  state.tokens = [];
  state.timers = [];
  state.joins = {};
  state.deferredTimers = [];
  state.pendingServiceTasks = [];
  const target = userTask(graph, ruling.backTo);
  if (!target) throw new EngineError(`unknown step ${ruling.backTo}`);
  if (state.objections.every((o) => o.status === 'resolved')) state.status = 'running';
  activate(graph, state, target, at);
}

function resumeIfClear(graph: ProcedureGraph, state: MatterState, at: number): void {
  if (state.status !== 'suspended' || state.objections.some((o) => o.status !== 'resolved')) return;
  state.status = 'running';
  const deferred = state.deferredTimers;
  state.deferredTimers = [];
  for (const timerId of deferred) fireTimer(graph, state, timerId, at);
  for (const [stepId, active] of Object.entries(state.active)) {
    if (active.windowEnded && (state.openOpinions[stepId] ?? 0) === 0) completeDisclosure(graph, state, stepId, at);
  }
}

function completeDisclosure(graph: ProcedureGraph, state: MatterState, stepId: string, at: number): void {
  addRecord(state, at, { userId: 'system', role: 'system', step: stepId, action: 'disclosure-ended' });
  completeStep(graph, state, stepId, { opinions: opinionsFiledIn(state, stepId) }, at);
}

/** Opinions filed while this activation of the disclosure was open (FEEL `<step>.opinions`). */
function opinionsFiledIn(state: MatterState, stepId: string): number {
  const since = state.active[stepId]?.since ?? '';
  return state.record.filter((r) => {
    const steps = r.data?.steps;
    return r.action === 'opinion-filed' && r.at >= since && Array.isArray(steps) && steps.includes(stepId);
  }).length;
}

/**
 * 民意直通车: an opinion filed while a disclosure of this matter is open holds that disclosure
 * from completing (even after its window ends) until the opinion is answered. Idempotent per
 * opinion id, since a signal may be delivered again after a retry.
 */
function holdForOpinion(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'opinion-filed' | 'opinion-answered' }>,
): void {
  const holds = (state.opinionHolds ??= {});
  const base = { userId: 'system', role: 'system' } as const;
  if (event.type === 'opinion-filed') {
    if (state.status === 'ended' || event.opinionId in holds) return;
    const steps = Object.keys(state.active).filter((id) => userTask(graph, id)?.step.kind === 'disclosure');
    holds[event.opinionId] = steps;
    for (const id of steps) state.openOpinions[id] = (state.openOpinions[id] ?? 0) + 1;
    addRecord(state, event.at, {
      ...base,
      step: steps[0] ?? null,
      action: 'opinion-filed',
      data: { opinionId: event.opinionId, steps },
    });
    return;
  }
  const steps = holds[event.opinionId];
  if (steps === undefined) return;
  delete holds[event.opinionId];
  if (state.status === 'ended') return;
  for (const id of steps) state.openOpinions[id] = Math.max(0, (state.openOpinions[id] ?? 0) - 1);
  addRecord(state, event.at, {
    ...base,
    step: steps[0] ?? null,
    action: 'opinion-answered',
    data: { opinionId: event.opinionId, steps },
  });
  if (state.status !== 'running') return;
  for (const id of steps) {
    if (state.active[id]?.windowEnded && (state.openOpinions[id] ?? 0) === 0)
      completeDisclosure(graph, state, id, event.at);
  }
}

function fireTimer(graph: ProcedureGraph, state: MatterState, timerId: string, at: number): void {
  const timer = state.timers.find((t) => t.id === timerId);
  if (!timer || state.status === 'ended') return;
  if (timer.kind === 'deadline') {
    // A time limit is reported (overdue), never enforced: the step stays where it is.
    state.timers = state.timers.filter((t) => t.id !== timerId);
    addRecord(state, at, { userId: 'system', role: 'system', step: timer.node, action: 'deadline-passed' });
    return;
  }
  if (state.status === 'suspended') {
    if (!state.deferredTimers.includes(timerId)) state.deferredTimers.push(timerId);
    return;
  }
  state.timers = state.timers.filter((t) => t.id !== timerId);
  switch (timer.kind) {
    case 'window': {
      const active = state.active[timer.node];
      if (!active) return;
      const notice = state.notices.find((n) => n.step === timer.node && n.endsAt === undefined);
      if (notice) notice.endsAt = iso(at);
      if ((state.openOpinions[timer.node] ?? 0) > 0) {
        active.windowEnded = true;
        return;
      }
      completeDisclosure(graph, state, timer.node, at);
      return;
    }
    case 'catch':
      removeToken(state, timer.node);
      addRecord(state, at, { userId: 'system', role: 'system', step: timer.node, action: 'timer' });
      leave(graph, state, timer.node, at);
      return;
    case 'boundary': {
      const boundary = node(graph, timer.node);
      if (boundary.type !== 'boundaryTimerEvent') return;
      addRecord(state, at, {
        userId: 'system',
        role: 'system',
        step: boundary.attachedTo,
        action: boundary.interrupting ? 'timeout' : 'reminder',
      });
      if (boundary.interrupting) deactivate(graph, state, boundary.attachedTo);
      leave(graph, state, boundary.id, at);
      return;
    }
  }
}

/**
 * 化整为零: payments to one payee within the window that together pass a tier while each stays
 * under it. The other payments come from an activity (in history), so this stays deterministic.
 */
function checkSplit(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'split-checked' }>,
): void {
  const rule = graph.split;
  if (!rule || state.splitChecked) return;
  state.splitChecked = true;
  const own = state.amount ?? 0;
  const total = event.others.reduce((sum, o) => sum + o.amount, own);
  for (const tier of rule.tiers) {
    if (own > tier || event.others.some((o) => o.amount > tier) || total <= tier) continue;
    const warning: SplitWarning = {
      kind: 'split-payment',
      payee: event.payee,
      tier,
      total,
      windowDays: rule.windowDays,
      matters: [...event.others.map((o) => o.matterId), state.matterId].sort(),
      at: iso(event.at),
    };
    state.warnings = [...(state.warnings ?? []), warning];
    addRecord(state, event.at, {
      userId: 'system',
      role: 'system',
      step: rule.step,
      action: 'split-payment-warning',
      data: { payee: warning.payee, tier, total, windowDays: rule.windowDays, matters: warning.matters },
    });
  }
}

/** The split-payment check is due: its step has completed and it has not run. */
export function splitCheckDue(
  graph: ProcedureGraph,
  state: MatterState,
): { payee: string; windowDays: number } | undefined {
  const rule = graph.split;
  if (!rule || state.splitChecked || !state.completedSteps.includes(rule.step)) return undefined;
  const payee = state.variables[rule.step]?.[rule.payeeField];
  return typeof payee === 'string' ? { payee, windowDays: rule.windowDays } : undefined;
}

// ---------------------------------------------------------------- views

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
