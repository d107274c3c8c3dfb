/** Matters over Temporal and the read model, for the route handlers: start, read, act, list. */
import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { z } from 'zod';
import { chinaDate } from '../../../common/china-date';
import { roleSatisfies } from '../../../common/engine';
import { ErrorCode } from '../../../common/errors';
import type { ProcedureGraph, Role } from '../../../common/graph';
import {
  MATTER_WORKFLOW,
  actRequestFingerprint,
  actUpdate,
  appliedUpdateQuery,
  type ActRequest,
  type ActResult,
  type MatterInput,
  type MatterView,
} from '../../../common/matter';
import { canonicalJson } from '../../../common/canonical-json';
import { sha256Hex } from '../../../common/record-chain';
import { MatterSearchAttributes } from '../../../common/search-attributes';
import { CompileError } from '../../../procedures/compiler';
import { PolicyError } from '../../../procedures/policy';
import { rolesIn, type Principal } from '../../auth/principal';
import type { CatalogPort } from '../../catalog-port';
import { registerOn, type Directory, type DirectoryPort } from '../../../common/directory';
import type { Register } from '../../../common/meeting';
import type { ObjectionAnswerDeadlines } from '../../../common/objection-deadlines';
import { ApiError, workflowRefusal } from '../../errors';
import { keyReused, scopedKey } from '../../idempotency';
import { redactText } from '../../../common/redact';
import { readableView } from './public-view';
import type { MatterRow, ReadModel } from '../../../stores/read-model';
import type {
  ActionBodySchema,
  ListMattersQuerySchema,
  MatterSummary,
  StartMatterSchema,
  StartedSchema,
} from './schemas';

export interface MatterDeps {
  client: Client;
  readModel: ReadModel;
  taskQueue: string;
  catalog: CatalogPort;
  directory: DirectoryPort;
  now: () => Date;
  /** the server's secret: ids derived from an Idempotency-Key are keyed with it and the caller */
  keySecret: Uint8Array;
  /** 实施条例 Art. 54: the policy's objection answer times in force on a day, in a town; absent → none */
  objectionDeadlines?: (date: string, town?: string) => ObjectionAnswerDeadlines;
}

/** An Idempotency-Key and the caller it belongs to (api/idempotency.ts). */
export interface CallerKey {
  key: string;
  scope: string;
}

type Started = z.infer<typeof StartedSchema>;

function notFound(id: string): ApiError {
  return new ApiError(404, ErrorCode.NotFound, `No matter ${id} / 未找到该事项`);
}

function throwEnded(view: MatterView): never {
  throw new ApiError(
    409,
    ErrorCode.Ended,
    `The matter has ended (${view.outcome ?? ''}); nothing more can be done on it / 该事项已办结（${view.outcome ?? ''}），不能再办理`,
  );
}

/** A running matter by its query; a closed one from its final view, without replaying it. */
export async function stateOf(readModel: ReadModel, id: string): Promise<MatterView> {
  const view = await readModel.view(id);
  if (!view) throw notFound(id);
  return view;
}

/**
 * In which role the signed-in user acts in `village`: the one they name (it must be theirs there),
 * else the first of theirs the step allows. When none fits, their first role goes to the workflow,
 * whose validator refuses it with the rule it breaks.
 */
export function matterActingRole(
  held: Role[],
  allowed: Role[],
  requested: Role | undefined,
  village: string,
  field = 'body.role',
): Role {
  if (held.length === 0) {
    throw new ApiError(403, ErrorCode.OutOfScope, `You hold no role in village ${village} / 您在该村没有职务`);
  }
  if (requested !== undefined) {
    if (!held.includes(requested)) {
      throw new ApiError(
        403,
        ErrorCode.RoleNotHeld,
        `You do not hold the role ${requested} in village ${village} / 您在该村不担任此职务`,
        [{ field, message: `held here: ${held.join(', ')}` }],
      );
    }
    return requested;
  }
  const fitting = held.find((h) => allowed.some((a) => roleSatisfies(h, a)));
  return fitting ?? (held[0] as Role);
}

/**
 * In which role a user starts a matter of `graph` in `village`: one of theirs there that the first
 * step allows (the villagers' committee starts matters; a supervisor or an official does not).
 */
export function startingRole(held: Role[], graph: ProcedureGraph, requested: Role | undefined, village: string): Role {
  const starters = startRoles(graph);
  const role = matterActingRole(held, starters, requested, village);
  if (!starters.some((r) => roleSatisfies(role, r))) {
    throw new ApiError(
      403,
      ErrorCode.RoleNotAllowed,
      `role ${role} may not start a ${graph.id} (allowed: ${starters.join(', ')}) / 该职务不能发起此类事项`,
      [{ field: 'body.role', message: `allowed: ${starters.join(', ')}` }],
    );
  }
  return role;
}

/** The roles of the steps a matter starts with: who may start one. */
export function startRoles(graph: ProcedureGraph): Role[] {
  const start = graph.nodes[graph.startEvent];
  const roles = (start?.outgoing ?? []).flatMap((flowId) => {
    const target = graph.nodes[graph.flows[flowId]?.target ?? ''];
    return target?.type === 'userTask' ? target.step.roles : [];
  });
  return [...new Set(roles)];
}

/**
 * Starts a matter of a procedure in a village for `user`, in a role the first step allows. With an
 * Idempotency-Key (scoped to its caller), a resent start finds the matter its key started.
 */
export async function createMatter(
  deps: MatterDeps,
  user: Principal,
  body: z.infer<typeof StartMatterSchema>,
  idempotency?: CallerKey,
): Promise<Started> {
  const directory = deps.directory.current();
  const village = directory.villages.find((v) => v.id === body.village);
  if (!village) {
    throw new ApiError(404, ErrorCode.NotFound, `No village ${body.village} / 没有该村`, [
      { field: 'body.village', message: 'unknown village' },
    ]);
  }
  const procedure = await currentProcedure(deps.catalog, body.procedureId, chinaDate(deps.now()), village.town);
  if (!procedure) {
    throw new ApiError(404, ErrorCode.UnknownProcedure, `No procedure ${body.procedureId} / 没有该流程`, [
      { field: 'body.procedureId', message: 'unknown procedure' },
    ]);
  }
  const role = startingRole(rolesIn(directory, user, village.id), procedure.graph, body.role, village.id);
  const links = await verifiedLinks(deps, procedure.graph, body);
  // The key is the caller's: another user's same key is another matter (api/idempotency.ts).
  const matterId = `matter-${idempotency ? scopedKey(deps.keySecret, 'matter', idempotency.scope, idempotency.key) : randomUUID()}`;
  const request = sha256Hex(canonicalJson({ ...body, role }));
  const startedAt = deps.now();
  const input: MatterInput = {
    graph: procedure.graph,
    matterId,
    village: village.id,
    title: body.title,
    initiator: { userId: user.id, role, name: user.name },
    links,
    recordSeed: randomBytes(32).toString('hex'),
  };
  try {
    await deps.client.workflow.start(MATTER_WORKFLOW, {
      taskQueue: deps.taskQueue,
      workflowId: matterId,
      args: [input],
      // The key is the workflow id: a retried request finds the matter it already started.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Lists show the title without asking every matter for its state; `request` says which
      // request the key stood for.
      memo: { title: body.title, startedAt: startedAt.toISOString(), request },
      typedSearchAttributes: [
        { key: MatterSearchAttributes.village, value: village.id },
        { key: MatterSearchAttributes.procedure, value: procedure.graph.id },
        { key: MatterSearchAttributes.status, value: 'running' },
        ...(links.length > 0 ? [{ key: MatterSearchAttributes.links, value: links }] : []),
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  deps.readModel.started({
    id: matterId,
    village: village.id,
    procedure: procedure.graph.id,
    status: 'running',
    title: body.title,
    activeSteps: [],
    links,
    startedAt: startedAt.getTime(),
  });
  if (idempotency !== undefined) {
    // A resent start finds the matter its key started; a start with other content is refused.
    const found = await deps.client.workflow.getHandle(matterId).describe();
    if (found.memo?.request !== request) throw keyReused('start of a matter');
  }
  return { id: matterId, procedure: { id: procedure.graph.id, version: procedure.graph.version } };
}

/** A file that does not compile, or a day with no policy in force, refuses new matters; running ones go on. */
async function currentProcedure(catalog: CatalogPort, id: string, date: string, town: string) {
  try {
    return await catalog.current(id, date, town);
  } catch (err) {
    if (err instanceof CompileError || err instanceof PolicyError) {
      throw new ApiError(409, ErrorCode.ProcedureUnavailable, `${id} cannot start new matters today: ${err.message}`);
    }
    throw err;
  }
}

function linkRefused(message: string, index?: number): ApiError {
  return new ApiError(422, ErrorCode.LinkInvalid, message, [
    { field: index === undefined ? 'body.links' : `body.links.${index}`, message },
  ]);
}

/**
 * Above the procedure's threshold a matter must rest on a completed matter of the linked
 * procedure (a major decision) of the same village; checked here because the validator inside
 * the workflow cannot read other workflows.
 */
async function verifiedLinks(
  deps: MatterDeps,
  graph: ProcedureGraph,
  body: z.infer<typeof StartMatterSchema>,
): Promise<string[]> {
  const links = [...new Set(body.links ?? [])];
  const rule = graph.link;
  if (!rule) {
    if (links.length > 0) throw linkRefused(`${graph.id} does not link to other matters`);
    return [];
  }
  if (body.amount !== undefined && body.amount > rule.above && links.length === 0) {
    throw new ApiError(
      422,
      ErrorCode.LinkRequired,
      `Above ${rule.above} yuan a ${graph.id} must link a completed ${rule.procedure} of village ${body.village} / 超过 ${rule.above} 元须关联本村已办结的重大事项决策`,
      [{ field: 'body.links', message: `amount ${body.amount} is above ${rule.above}` }],
    );
  }
  for (const [index, id] of links.entries()) {
    const linked = await deps.readModel.summary(id);
    if (!linked) throw linkRefused(`linked matter ${id} does not exist`, index);
    if (linked.procedure.id !== rule.procedure)
      throw linkRefused(`linked matter ${id} is not a ${rule.procedure}`, index);
    if (linked.village !== body.village) {
      throw linkRefused(`linked matter ${id} belongs to village ${linked.village}, not ${body.village}`, index);
    }
    if (linked.status !== 'ended' || linked.outcome !== 'completed') {
      throw linkRefused(
        `linked matter ${id} is not completed (${linked.status}${linked.outcome ? `: ${linked.outcome}` : ''})`,
        index,
      );
    }
  }
  return links;
}

/** A matter as this reader may see it, with the matters that link to it (the projects and payments resting on a decision). */
export async function readMatter(deps: MatterDeps, id: string, principal: Principal | undefined) {
  const [full, linkedFrom] = await Promise.all([stateOf(deps.readModel, id), deps.readModel.ids({ linksTo: id })]);
  const { view, access } = await readableView(deps, full, principal);
  return { ...view, access, linkedFrom };
}

/** The BPMN of the version the matter started with (pinned in its history). */
export async function pinnedBpmn(deps: MatterDeps, id: string): Promise<string> {
  const view = await stateOf(deps.readModel, id);
  const pinned = await deps.catalog.get(view.procedure.id, view.procedure.version);
  if (!pinned)
    throw new ApiError(
      404,
      ErrorCode.NotFound,
      `Version ${view.procedure.version} of ${view.procedure.id} is not in the catalog`,
    );
  return pinned.bpmn;
}

/**
 * `user` acts on matter `id` (a step, or the whole matter: objections); the workflow's validator
 * refuses what the rules refuse. With an Idempotency-Key the same request is applied once.
 */
function registerFor(
  directory: Directory,
  village: string,
  body: z.infer<typeof ActionBodySchema>,
): { register?: Register } {
  const date = body.data?.date;
  if (body.action !== 'record' || typeof date !== 'string') return {};
  const register = registerOn(directory, village, date);
  return register ? { register } : {};
}

/** An objection carries the answer times the policy sets today: the workflow starts its clock with them. */
function objectionDeadlinesFor(
  deps: MatterDeps,
  village: string,
  body: z.infer<typeof ActionBodySchema>,
): { objectionDeadlines?: ObjectionAnswerDeadlines } {
  if (body.action !== 'raise-objection' || !deps.objectionDeadlines) return {};
  const town = deps.directory.current().villages.find((v) => v.id === village)?.town;
  const deadlines = deps.objectionDeadlines(chinaDate(deps.now()), town);
  return Object.keys(deadlines).length > 0 ? { objectionDeadlines: deadlines } : {};
}

export async function actOn(
  deps: MatterDeps,
  id: string,
  user: Principal,
  body: z.infer<typeof ActionBodySchema>,
  idempotency?: CallerKey,
): Promise<ActResult> {
  // No query of the matter first: its village is read once (describe) and kept; the workflow's
  // validator picks, among the roles the user holds there, the one the step allows.
  const village = await deps.readModel.villageOf(id);
  if (village === undefined) throw notFound(id);
  const held = rolesIn(deps.directory.current(), user, village);
  const role = matterActingRole(held, [], body.role, village);
  const request: ActRequest = {
    step: body.step,
    action: body.action,
    ...(body.data !== undefined ? { data: body.data } : {}),
    ...(body.comment !== undefined ? { comment: body.comment } : {}),
    // The name lets the validator recuse a payee or counterparty recorded by name.
    actor: { userId: user.id, role, name: user.name },
    ...(body.role === undefined ? { roles: held } : {}),
    // A meeting is judged against the village's register on its date, not the recorder's numbers.
    ...registerFor(deps.directory.current(), village, body),
    ...objectionDeadlinesFor(deps, village, body),
  };
  // The update id is derived from the caller's key: the same request sent twice is applied once,
  // and another caller's same key is another update.
  const updateId = idempotency
    ? scopedKey(deps.keySecret, `act:${id}`, idempotency.scope, idempotency.key)
    : randomUUID();
  const handle = deps.client.workflow.getHandle(id);
  const fingerprint = actRequestFingerprint(request);
  // Temporal answers a known update id with its first result whatever the arguments; that result
  // names the request it answered, which tells a resend (its first result) from a reused key (422).
  const answer = ({ request: answered, ...result }: ActResult): ActResult => {
    if (idempotency !== undefined && answered !== undefined && answered !== fingerprint) throw keyReused('action');
    return result;
  };
  try {
    return answer(await handle.executeUpdate(actUpdate, { args: [request], updateId }));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      // The workflow of an ended matter has closed: that is a conflict, not a missing matter; a
      // resend of the action that ended it still gets its result (a rare path: the query replays).
      const now = await stateOf(deps.readModel, id);
      if (now.status !== 'ended') throw notFound(id);
      const applied = idempotency === undefined ? null : await handle.query(appliedUpdateQuery, updateId);
      return applied ? answer(applied) : throwEnded(now);
    }
    throw workflowRefusal(err) ?? err;
  }
}

/**
 * Public list of matters from the read model, a page at a time in the visibility store's own order
 * (running first, newest first; then closed, latest closed first): SQLite visibility cannot sort,
 * and its page token makes each page cost one page, however many matters there are.
 */
export async function listPage(
  deps: MatterDeps,
  query: z.infer<typeof ListMattersQuerySchema>,
): Promise<{ matters: MatterSummary[]; nextCursor?: string }> {
  const page = await deps.readModel.page(
    {
      ...(query.village ? { villages: [query.village] } : {}),
      ...(query.procedure ? { procedure: query.procedure } : {}),
      ...(query.status ? { status: query.status } : {}),
    },
    query.limit,
    query.cursor,
  );
  return { matters: page.items.map(listItem), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** A row of the list, from the projection's columns (the same for a matter of older code without a summary). */
export function listItem(row: MatterRow): MatterSummary {
  return {
    id: row.id,
    village: row.village,
    procedure: { id: row.procedure },
    // The list is public: a title may carry a phone or ID number; the matter page shows members the rest.
    title: redactText(row.title),
    status: row.status,
    ...(row.outcome ? { outcome: row.outcome } : {}),
    activeSteps: row.activeSteps,
    ...(row.amount !== undefined ? { amount: row.amount } : {}),
    startedAt: row.startedAt,
    ...(row.closedAt ? { closedAt: row.closedAt } : {}),
  };
}
