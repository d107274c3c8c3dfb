import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  proxySinks,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { withActingRole } from '../common/acting-role';
import {
  applyEvent,
  nextDueTimer,
  splitCheckDue,
  startMatter,
  timersToSchedule,
  validateAction,
  type MatterRules,
  type MatterState,
} from '../common/engine';
import {
  ActRequestSchema,
  actRequestFingerprint,
  actUpdate,
  appliedUpdateQuery,
  engineStateQuery,
  stateQuery,
  type ActRequest,
  type ActResult,
  type AppliedUpdate,
  type MatterInput,
  type MatterResult,
} from '../common/matter';
import { SUMMARY_MEMO, summaryOf, waitingOn, type MatterSummary, type ProjectionSinks } from '../common/matter-summary';
import { viewOf } from '../common/matter-view';
import { opinionAnsweredSignal, opinionFiledSignal } from '../common/opinion';
import { MatterSearchAttributes } from '../common/search-attributes';

const { computeDueAt, runServiceAction, recentPayments } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10 },
});

const { projection } = proxySinks<ProjectionSinks>();

/** How many update ids (with their results) a matter remembers across continue-as-new. */
const REMEMBERED_UPDATES = 1000;

function recent(applied: Record<string, AppliedUpdate>): Record<string, AppliedUpdate> {
  // insertion order = order applied: keep the newest
  return Object.fromEntries(Object.entries(applied).slice(-REMEMBERED_UPDATES));
}

/** Patch id of the open-opinion hold on disclosures. */
export const OPINIONS_PATCH = 'opinions-hold-disclosures';
/** Patch id of record values committed one by one (common/record-chain.ts), so redaction keeps proof. */
export const RECORD_COMMITMENTS_PATCH = 'record-commitments';
/** Patch id of periods in calendar days counted as 民法典 Arts. 201–203 count them (activities/calendar.ts). */
export const CIVIL_CODE_DAYS_PATCH = 'civil-code-days';
/** Patch id of meetings judged against the village's register, with real, past dates. */
export const MEETING_REGISTER_PATCH = 'meeting-register';
/** Patch id of town rulings bounded to steps the matter passed, with a reason (common/engine/objections.ts). */
export const BOUNDED_RULINGS_PATCH = 'bounded-rulings';
/** Patch id of later amounts held to the registered amount's tier and link (common/engine/tender-tiers.ts). */
export const TENDER_TIERS_PATCH = 'tender-tiers';
/** Patch id of numbers a route turns on being required, e.g. land's area (common/engine/route-inputs.ts). */
export const ROUTE_INPUTS_PATCH = 'route-inputs';
/** Patch id of the answer clock of objections raised in a step the policy names (common/engine/objection-clock.ts). */
export const OBJECTION_DEADLINES_PATCH = 'objection-deadlines';

/**
 * The rules this run of a matter follows (common/engine/types.ts MatterRules). Each is behind its
 * patch: replaying a matter recorded before it gives the older rule, as it ran.
 */
function rulesInForce(input: MatterInput): MatterRules | undefined {
  const rules: MatterRules = {};
  // the seed stays in the workflow: the public sees digests, members see each entry's salt
  if (patched(RECORD_COMMITMENTS_PATCH)) rules.recordSeed = input.recordSeed ?? `${uuid4()}${uuid4()}`;
  if (patched(CIVIL_CODE_DAYS_PATCH)) rules.civilCodeDays = true;
  if (patched(MEETING_REGISTER_PATCH)) rules.meetingRegister = true;
  if (patched(BOUNDED_RULINGS_PATCH)) rules.boundedRulings = true;
  if (patched(TENDER_TIERS_PATCH)) rules.tenderTiers = true;
  if (patched(ROUTE_INPUTS_PATCH)) rules.routeInputs = true;
  if (patched(OBJECTION_DEADLINES_PATCH)) rules.objectionDeadlines = true;
  return Object.keys(rules).length > 0 ? rules : undefined;
}

/**
 * Patch id of the read model (issue 12): the summary memo and `MatterWaitingOn` are published, and
 * only when they change; the final view is the result. Matters recorded before replay as they ran.
 */
export const READ_MODEL_PATCH = 'read-model-summary';
/**
 * Patch id of the report facts in the summary (common/matter-facts.ts): the yearly report and the
 * monthly notice read them from visibility instead of each matter's full view.
 */
export const REPORT_FACTS_PATCH = 'read-model-facts';

/** Well below the server's 2,000 updates per run and its history limits. */
const DEFAULT_LIMITS = { updatesPerRun: 500, historyEvents: 10_000 };

/**
 * One matter: any procedure graph, interpreted by the pure engine. Human actions arrive as
 * the `act` update; the validator refuses, without writing to history, what the engine
 * refuses. Timers are workflow timers, so they survive restarts of everything.
 */
export async function matter(input: MatterInput): Promise<MatterResult> {
  const { graph } = input;
  const rules = rulesInForce(input);
  let state: MatterState = input.carried
    ? // a state carried from a run before a rule gets it now; its own rules (its seed) stay
      { ...input.carried, ...(rules ? { rules: { ...rules, ...input.carried.rules } } : {}) }
    : startMatter(
        graph,
        {
          matterId: input.matterId,
          village: input.village,
          title: input.title,
          initiator: input.initiator,
          links: input.links ?? [],
          ...(rules ? { rules } : {}),
        },
        Date.now(),
      );
  let updatesThisRun = 0;
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  // The server dedupes update ids within one run only; results of recent ids travel across
  // continue-as-new so that a retried Idempotency-Key is still applied once.
  const applied: Record<string, AppliedUpdate> = { ...input.appliedUpdates };
  const seen = (): ActResult | undefined => {
    const id = currentUpdateInfo()?.id;
    return id === undefined ? undefined : applied[id];
  };

  setHandler(stateQuery, () => viewOf(graph, state));
  setHandler(engineStateQuery, () => state);
  setHandler(appliedUpdateQuery, (updateId) => applied[updateId] ?? null);
  setHandler(
    actUpdate,
    (request): ActResult => {
      const earlier = seen();
      if (earlier) return earlier;
      const act = withActingRole(graph, state, request);
      state = applyEvent(graph, state, { type: 'act', at: Date.now(), ...act, data: act.data ?? {} });
      updatesThisRun += 1;
      const result = {
        seq: state.seq,
        status: state.status,
        activeSteps: Object.keys(state.active),
        request: actRequestFingerprint(request),
      };
      const id = currentUpdateInfo()?.id;
      if (id !== undefined) applied[id] = result;
      return result;
    },
    {
      validator: (request: ActRequest) => {
        if (seen()) return;
        const shape = ActRequestSchema.safeParse(request);
        if (!shape.success) {
          throw ApplicationFailure.create({
            message: `malformed action: ${shape.error.message}`,
            type: 'INVALID_DATA',
            nonRetryable: true,
          });
        }
        const act = withActingRole(graph, state, shape.data);
        const problem = validateAction(graph, state, { type: 'act', at: Date.now(), ...act, data: act.data ?? {} });
        // Non-retryable with a stable code (the type): the API maps it to 403/409/422.
        if (problem)
          throw ApplicationFailure.create({
            message: problem.message,
            type: problem.code,
            nonRetryable: true,
            details: [problem.details ?? []],
          });
      },
    },
  );

  // 民意直通车 (issue 7). Behind a patch: a matter recorded before opinions existed replays as it ran.
  const onOpinion =
    (type: 'opinion-filed' | 'opinion-answered') =>
    ({ opinionId }: { opinionId: string }) => {
      if (!patched(OPINIONS_PATCH) || typeof opinionId !== 'string') return;
      state = applyEvent(graph, state, { type, at: Date.now(), opinionId });
    };
  setHandler(opinionFiledSignal, onOpinion('opinion-filed'));
  setHandler(opinionAnsweredSignal, onOpinion('opinion-answered'));

  const payeeAttribute = () => {
    const payee = graph.split ? state.variables[graph.split.step]?.[graph.split.payeeField] : undefined;
    return typeof payee === 'string' ? [{ key: MatterSearchAttributes.payee, value: payee }] : [];
  };
  const attributes = () => [
    { key: MatterSearchAttributes.village, value: state.village },
    { key: MatterSearchAttributes.procedure, value: state.procedureId },
    {
      key: MatterSearchAttributes.status,
      value: state.status === 'ended' ? `ended:${state.outcome ?? ''}` : state.status,
    },
    { key: MatterSearchAttributes.activeSteps, value: Object.keys(state.active) },
    ...(state.amount !== undefined ? [{ key: MatterSearchAttributes.amount, value: state.amount }] : []),
    ...((state.links ?? []).length > 0 ? [{ key: MatterSearchAttributes.links, value: state.links }] : []),
    ...payeeAttribute(),
  ];
  // What was last published in this run (continue-as-new carries memo and attributes over; the new run publishes once).
  let publishedAttributes = '';
  let publishedSummary = '';
  let projected = '';
  // The summary of the state as it is now, computed once per state (applyEvent returns a new state).
  let last: { state: MatterState; withFacts: boolean; summary: MatterSummary; json: string } | undefined;
  const summaryNow = (withFacts: boolean) => {
    if (last?.state !== state || last.withFacts !== withFacts) {
      const summary = summaryOf(graph, state, withFacts);
      last = { state, withFacts, summary, json: JSON.stringify(summary) };
    }
    return last;
  };
  // The row every list reads: written through a sink (no command, so every matter writes it, with its
  // facts, and replay is untouched), whenever the summary or the links change.
  const project = () => {
    const { summary, json } = summaryNow(true);
    const links = state.links ?? [];
    const now = `${json}${JSON.stringify(links)}`;
    if (now === projected) return;
    projected = now;
    const closedAt = state.status === 'ended' ? { closedAt: Date.now() } : {};
    projection.put({ summary, waitingOn: waitingOn(summary), links, ...closedAt });
  };
  const publish = () => {
    project();
    if (!patched(READ_MODEL_PATCH)) {
      upsertSearchAttributes(attributes());
      return;
    }
    const { summary, json: summaryJson } = summaryNow(patched(REPORT_FACTS_PATCH));
    const pairs = [...attributes(), { key: MatterSearchAttributes.waitingOn, value: waitingOn(summary) }];
    const attributesNow = JSON.stringify(pairs.map((p) => [p.key.name, p.value]));
    if (attributesNow !== publishedAttributes) {
      upsertSearchAttributes(pairs);
      publishedAttributes = attributesNow;
    }
    if (summaryJson !== publishedSummary) {
      upsertMemo({ [SUMMARY_MEMO]: summary });
      publishedSummary = summaryJson;
    }
  };

  while (state.status !== 'ended') {
    // before anything is awaited: the row shows an action by the time the action is answered
    project();
    for (const timer of timersToSchedule(state)) {
      const dueAt = await computeDueAt({ from: timer.from, duration: timer.duration });
      state = applyEvent(graph, state, { type: 'timer-scheduled', at: Date.now(), timerId: timer.id, dueAt });
    }
    for (const nodeId of state.pendingServiceTasks) {
      const node = graph.nodes[nodeId];
      if (node?.type === 'serviceTask') await runServiceAction({ matterId: state.matterId, action: node.action });
      state = applyEvent(graph, state, { type: 'service-done', at: Date.now(), node: nodeId });
    }
    const split = splitCheckDue(graph, state);
    if (split) {
      const others = await recentPayments({
        procedure: graph.id,
        village: state.village,
        payee: split.payee,
        since: Date.now() - split.windowDays * 86_400_000,
        exclude: state.matterId,
      });
      state = applyEvent(graph, state, { type: 'split-checked', at: Date.now(), payee: split.payee, others });
    }
    publish();
    if (state.status === 'ended') break;

    if (
      workflowInfo().continueAsNewSuggested ||
      updatesThisRun >= limits.updatesPerRun ||
      workflowInfo().historyLength > limits.historyEvents
    ) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof matter>({ ...input, carried: state, appliedUpdates: recent(applied) });
    }

    const seenSeq = state.seq;
    const seenTimers = state.timers.length;
    const changed = () =>
      state.seq !== seenSeq ||
      state.timers.length !== seenTimers ||
      timersToSchedule(state).length > 0 ||
      state.pendingServiceTasks.length > 0 ||
      state.status === 'ended';
    const next = nextDueTimer(state);
    if (next?.dueAt === undefined) {
      await condition(changed);
    } else if (!(await condition(changed, Math.max(1, next.dueAt - Date.now())))) {
      state = applyEvent(graph, state, { type: 'timer-fired', at: Date.now(), timerId: next.id });
    }
  }
  publish();
  await condition(allHandlersFinished);
  return { outcome: state.outcome, ...(patched(READ_MODEL_PATCH) ? { view: viewOf(graph, state) } : {}) };
}
