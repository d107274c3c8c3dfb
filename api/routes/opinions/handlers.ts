import type { Client } from '@temporalio/client';
import type { z } from 'zod';
import { chinaDate } from '../../../common/china-date';
import { ErrorCode } from '../../../common/errors';
import type { Role } from '../../../common/graph';
import {
  publicOpinion,
  type OpinionActor,
  OpinionActorRoleSchema,
  type OpinionActorRole,
  type OpinionDeadlines,
  type OpinionState,
} from '../../../common/opinion';
import { redactText } from '../../../common/redact';
import { rolesIn, signedIn, type Principal } from '../../auth/principal';
import type { Directory, DirectoryPort } from '../../../common/directory';
import { ApiError } from '../../errors';
import { callerScope, keyReused, scopedKey } from '../../idempotency';
import type { ReadModel } from '../../../stores/read-model';
import type { RouteInput } from '../../route';
import type {
  AcknowledgeBodySchema,
  AnswerBodySchema,
  ListOpinionsQuerySchema,
  OpinionParamsSchema,
  SubmitOpinionSchema,
  TrackParamsSchema,
} from './schemas';
import {
  acknowledgeOpinion,
  answerOpinion,
  normaliseTrackingCode,
  opinionIdOf,
  trackingCodeForKey,
  readOpinion,
  submitOpinion,
} from './service';

export interface OpinionDeps {
  client: Client;
  readModel: ReadModel;
  taskQueue: string;
  directory: DirectoryPort;
  now: () => Date;
  /** derives the tracking code of a submission sent with an Idempotency-Key */
  keySecret: Uint8Array;
  /** The opinion time limits in force on a day (policy file); absent → submissions answer 503. */
  deadlines?: (date: string, town?: string) => OpinionDeadlines;
}

type Input<P, Q, B> = RouteInput<P, Q, B>;

/** The roles that act on opinions, in the order they are chosen: the chair, then (after a time limit) the town. */
const ACTING: readonly OpinionActorRole[] = OpinionActorRoleSchema.options;

function villageOf(directory: Directory, village: string, field: string) {
  const found = directory.villages.find((v) => v.id === village);
  if (!found)
    throw new ApiError(404, ErrorCode.NotFound, `No village ${village} / 没有该村`, [
      { field, message: 'unknown village' },
    ]);
  return found;
}

/** The chair and the town read contact details; everyone else reads the public view. */
function canSeeFull(directory: Directory, principal: Principal | undefined, village: string): boolean {
  const held: Role[] = rolesIn(directory, principal, village);
  return held.some((r) => (ACTING as Role[]).includes(r) || r === 'district-admin');
}

export function fullView(state: OpinionState, access: 'full' | 'resident' | 'public') {
  const shown = publicOpinion(state);
  if (access === 'public') {
    // A resident may write a phone number or an ID number into the text: never on the public page.
    return {
      ...shown,
      subject: redactText(shown.subject),
      text: redactText(shown.text),
      ...(shown.answer !== undefined ? { answer: redactText(shown.answer) } : {}),
      access,
    };
  }
  // The resident holding the code reads their own answer even when it is not published.
  const answer = state.answered ? { answer: state.answered.answer } : {};
  if (access === 'resident') return { ...shown, ...answer, access };
  return {
    ...shown,
    ...answer,
    access,
    ...(state.contact ? { contact: state.contact } : {}),
    ...(state.acknowledged
      ? { acknowledgedBy: { userId: state.acknowledged.userId, role: state.acknowledged.role } }
      : {}),
    ...(state.answered ? { answeredBy: { userId: state.answered.userId, role: state.answered.role } } : {}),
    escalations: state.escalations,
  };
}

export async function submit(
  deps: OpinionDeps,
  { body, idempotencyKey, principal, req, res }: Input<unknown, unknown, z.infer<typeof SubmitOpinionSchema>>,
): Promise<void> {
  if (!deps.deadlines)
    throw new ApiError(503, ErrorCode.NotConfigured, 'Opinions are not configured here / 本系统未配置民意直通车');
  const directory = deps.directory.current();
  const village = villageOf(directory, body.village, 'body.village');
  if (body.matterId !== undefined) {
    const matterVillage = await deps.readModel.villageOf(body.matterId).catch(() => undefined);
    if (matterVillage === undefined) {
      throw new ApiError(404, ErrorCode.NotFound, `No matter ${body.matterId} / 未找到该事项`, [
        { field: 'body.matterId', message: 'unknown matter' },
      ]);
    }
    if (matterVillage !== village.id) {
      throw new ApiError(422, ErrorCode.InvalidData, 'The matter belongs to another village / 该事项不属于该村', [
        { field: 'body.matterId', message: `the matter is of village ${matterVillage}` },
      ]);
    }
  }
  const deadlines = deps.deadlines(chinaDate(deps.now()), village.town);
  const { opinionId, trackingCode, sameSubmission } = await submitOpinion(
    deps.client,
    deps.taskQueue,
    {
      village: village.id,
      town: village.town,
      ...(body.matterId ? { matterId: body.matterId } : {}),
      subject: body.subject,
      text: body.text,
      ...(body.contact && Object.keys(body.contact).length > 0 ? { contact: body.contact } : {}),
      publishAnswer: body.publishAnswer,
      deadlines,
    },
    idempotencyKey ? trackingCodeForKey(deps.keySecret, callerScope(principal, req), idempotencyKey) : undefined,
  );
  // The code is the resident's secret: a key resent with another opinion never learns it.
  if (!sameSubmission) throw keyReused('opinion');
  const trackUrl = `/api/opinions/track/${trackingCode}`;
  res.status(201).location(`/api/opinions/${opinionId}`).json({ opinionId, trackingCode, trackUrl });
}

export async function track(
  deps: OpinionDeps,
  { params, res }: Input<z.infer<typeof TrackParamsSchema>, unknown, unknown>,
) {
  if (!normaliseTrackingCode(params.code)) {
    throw new ApiError(400, ErrorCode.InvalidRequest, 'Not a tracking code / 查询码格式不对', [
      { field: 'params.code', message: 'a tracking code has 16 letters and digits' },
    ]);
  }
  const state = await readOpinion(deps.client, opinionIdOf(params.code));
  res.json(fullView(state, 'resident'));
}

export async function getOne(
  deps: OpinionDeps,
  { params, principal, res }: Input<z.infer<typeof OpinionParamsSchema>, unknown, unknown>,
) {
  const state = await readOpinion(deps.client, params.id);
  const full = canSeeFull(deps.directory.current(), principal, state.village);
  res.json(fullView(state, full ? 'full' : 'public'));
}

export async function list(
  deps: OpinionDeps,
  { query, principal, res }: Input<unknown, z.infer<typeof ListOpinionsQuerySchema>, unknown>,
) {
  const directory = deps.directory.current();
  villageOf(directory, query.village, 'query.village');
  const full = canSeeFull(directory, principal, query.village);
  const { opinions: found, unread } = await deps.readModel.opinions(query.village);
  const opinions = found
    .filter((o) => query.status === undefined || o.status === query.status)
    .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || a.opinionId.localeCompare(b.opinionId));
  res.json({
    opinions: opinions.map((o) => fullView(o, full ? 'full' : 'public')),
    ...(unread.length > 0 ? { unread } : {}),
  });
}

/** The role the signed-in user acts in on this opinion: the chair, or the town's official. */
function opinionActingRole(directory: Directory, principal: Principal, village: string): OpinionActorRole {
  const held = rolesIn(directory, principal, village);
  const role = ACTING.find((r) => held.includes(r));
  if (!role) {
    throw new ApiError(
      403,
      ErrorCode.RoleNotAllowed,
      'Only the supervisory committee chair, or the town after a time limit, handles opinions / 仅村务监督委员会主任（逾期后镇里）可办理',
    );
  }
  return role;
}

/**
 * The chair (or the town) acts on an opinion. A request sent again with its Idempotency-Key after it
 * took effect answers as it did the first time: the update id dedupes a running opinion, and an
 * answered one has closed, so its state decides (`done`).
 */
async function actOnOpinion(
  deps: OpinionDeps,
  opinionId: string,
  idempotencyKey: string | undefined,
  principal: Principal | undefined,
  run: (actor: OpinionActor, key: string | undefined) => Promise<OpinionState>,
  done: (state: OpinionState, user: Principal) => boolean,
): Promise<OpinionState> {
  const user = signedIn(principal);
  const current = await readOpinion(deps.client, opinionId);
  const actor = { userId: user.id, role: opinionActingRole(deps.directory.current(), user, current.village) };
  // the update id is the caller's key, scoped to them (api/idempotency.ts)
  const updateId =
    idempotencyKey === undefined
      ? undefined
      : scopedKey(deps.keySecret, `opinion-act:${opinionId}`, `user:${user.id}`, idempotencyKey);
  try {
    return await run(actor, updateId);
  } catch (err) {
    if (idempotencyKey !== undefined && err instanceof ApiError && err.code === ErrorCode.StepNotActive) {
      const now = await readOpinion(deps.client, opinionId);
      if (done(now, user)) return now;
    }
    throw err;
  }
}

export async function acknowledge(
  deps: OpinionDeps,
  {
    params,
    body,
    idempotencyKey,
    principal,
    res,
  }: Input<z.infer<typeof OpinionParamsSchema>, unknown, z.infer<typeof AcknowledgeBodySchema>>,
) {
  const state = await actOnOpinion(
    deps,
    params.id,
    idempotencyKey,
    principal,
    (actor, key) =>
      acknowledgeOpinion(deps.client, params.id, { actor, ...(body.note ? { note: body.note } : {}) }, key),
    (now, user) => now.acknowledged?.userId === user.id,
  );
  res.json(fullView(state, 'full'));
}

export async function answer(
  deps: OpinionDeps,
  {
    params,
    body,
    idempotencyKey,
    principal,
    res,
  }: Input<z.infer<typeof OpinionParamsSchema>, unknown, z.infer<typeof AnswerBodySchema>>,
) {
  const state = await actOnOpinion(
    deps,
    params.id,
    idempotencyKey,
    principal,
    (actor, key) => answerOpinion(deps.client, params.id, { actor, answer: body.answer }, key),
    (now, user) => now.answered?.userId === user.id && now.answered.answer === body.answer.trim(),
  );
  res.json(fullView(state, 'full'));
}
