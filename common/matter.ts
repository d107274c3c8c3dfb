import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { Actor, MatterState, MeetingRecord, Notice, Objection, RecordEntry, SplitWarning } from './engine';
import { canonicalJson } from './canonical-json';
import { sha256Hex, type ChainLinks, type LeafProof } from './record-chain';
import { ROLES, RoleSchema, type ProcedureGraph, type Role, type StepKind } from './graph';
import { RegisterSchema } from './meeting';
import { ObjectionAnswerDeadlinesSchema } from './objection-deadlines';

/** Contract of the `matter` workflow: input, the `act` update, the `state` and `engine-state` queries. */

export const MATTER_WORKFLOW = 'matter';

export interface MatterInput {
  graph: ProcedureGraph;
  matterId: string;
  village: string;
  title: string;
  initiator: Actor;
  /** verified links (e.g. to the completed major decision) */
  links?: string[];
  /** secret seed of the record's salts (common/record-chain.ts), random from the API */
  recordSeed?: string;
  /** continue-as-new carries the state; a fresh run has none */
  carried?: MatterState;
  /** Results of recent update ids, carried across continue-as-new (idempotency). */
  appliedUpdates?: Record<string, AppliedUpdate>;
  /** When to continue-as-new; tests lower them to exercise it. */
  limits?: { updatesPerRun?: number; historyEvents?: number };
}

export const ActorSchema = z.object({
  userId: z.string().trim().min(1, 'userId must not be empty').max(100),
  role: RoleSchema,
  /** from the directory, filled by the API: recusal compares it with the parties a matter names */
  name: z.string().trim().min(1).max(100).optional(),
});

export const ActRequestSchema = z.object({
  /** null for actions on the whole matter (objections) */
  step: z.string().min(1).max(100).nullable(),
  action: z.string().min(1).max(50),
  data: z.record(z.string(), z.unknown()).optional(),
  comment: z.string().max(5000).optional(),
  actor: ActorSchema,
  /**
   * The roles the actor holds in the matter's village, when they named none: the workflow acts in
   * the first one the action allows (else `actor.role`, which it refuses with the rule it breaks).
   * So the API needs no query of the matter's steps before the update.
   */
  roles: z.array(RoleSchema).max(ROLES.length).optional(),
  /** meeting records: the village's register on the meeting's date, from the directory (never the client) */
  register: RegisterSchema.optional(),
  /** raise-objection: the policy's answer times in force today (common/objection-deadlines.ts), from the API */
  objectionDeadlines: ObjectionAnswerDeadlinesSchema.optional(),
});
export type ActRequest = z.infer<typeof ActRequestSchema>;

export interface ActResult {
  seq: number;
  status: MatterState['status'];
  activeSteps: string[];
  /** the fingerprint of the request this result answered (absent in results of older code) */
  request?: string;
}

/** What a matter remembers of an applied update id: its result, and which request it was. */
export type AppliedUpdate = ActResult;

/**
 * Which request an update id (an Idempotency-Key) stood for: the same step, action, data, comment and
 * actor give the same fingerprint. The workflow remembers it per applied id; the API compares it with
 * the request it sent, so a key reused with another request is refused (422) instead of answered
 * with the first one's result.
 */
export function actRequestFingerprint(request: ActRequest): string {
  return sha256Hex(
    canonicalJson({
      step: request.step,
      action: request.action,
      data: request.data ?? {},
      comment: request.comment ?? '',
      actor: { userId: request.actor.userId, role: request.actor.role },
    }),
  );
}

export interface ActiveStepView {
  id: string;
  name: { zh: string; en: string };
  kind: StepKind;
  roles: Role[];
  phase: 'open' | 'awaiting-witness';
  since: string;
  /** disclosure: when its notice window ends (once the workflow has computed it) */
  windowEndsAt?: string;
  deadline?: string;
  actions: string[];
  /** 回避: user ids and names of who may not act here now (initiator, recorder, payee, bidder, counterparty) */
  recused: string[];
  /** disclosure: residents' opinions (民意直通车) that hold it until they are answered */
  heldByOpinions?: number;
  /** when its time limit passed (the deadline timer has fired), if it has */
  overdueSince?: string;
}

/** An objection as the view shows it: while the town may rule, the steps a ruling may go back to. */
export interface ObjectionView extends Objection {
  rulingTargets?: string[];
}

export interface MatterView {
  matterId: string;
  procedure: { id: string; version: string; name: { zh: string; en: string } };
  village: string;
  title: string;
  initiator: string;
  startedAt: string;
  status: MatterState['status'];
  outcome?: string;
  amount?: number;
  /** matters this one links to */
  links: string[];
  /** warnings for the supervisors, e.g. split payments (化整为零) */
  warnings: SplitWarning[];
  activeSteps: ActiveStepView[];
  completedSteps: string[];
  takenFlows: string[];
  meetings: MeetingRecord[];
  objections: ObjectionView[];
  notices: Notice[];
  /**
   * The record, every entry linked to the one before (common/record-chain.ts). A committed entry
   * carries its `salt` in the full view; in the public view an entry that held personal data hides
   * those values, carries their digests (`proof`) and is marked `redacted` (common/redact.ts).
   */
  record: (RecordEntry & ChainLinks & { salt?: string; redacted?: true; proof?: LeafProof })[];
}

/** What a matter returns when it ends: its final view, so a closed matter is read without replaying it. */
export interface MatterResult {
  outcome: string | undefined;
  /** absent for matters that ended before the read model (they are read by a query) */
  view?: MatterView;
}

export const actUpdate = defineUpdate<ActResult, [ActRequest]>('act');
export const stateQuery = defineQuery<MatterView>('state');
/** The engine's own state of a matter, whole: what the replay guard compares (test/fixtures/histories). */
export const engineStateQuery = defineQuery<MatterState>('engine-state');
/** An applied update id: its result and the fingerprint of its request (null: not applied, or forgotten). */
export const appliedUpdateQuery = defineQuery<AppliedUpdate | null, [string]>('appliedUpdate');
