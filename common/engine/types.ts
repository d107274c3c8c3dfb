import type { Register } from '../meeting';
import type { z } from 'zod';
import { ErrorCode } from '../errors';
import type { Duration, MeetingBody, PartyKind, Role } from '../graph';
import type { MeetingCountsSchema, MeetingResult } from '../meeting';

// The shapes the engine works on: a matter's state, the events that move it, and its refusals.

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
  /** committed entries: the salt of this entry's values (common/record-chain.ts); never in the public copy */
  salt?: string;
}

/**
 * Rules that came after some matters had started. The workflow turns them on behind patched(), so a
 * matter recorded before them replays as it ran; absent means the older rule.
 */
export interface MatterRules {
  /** the record's values are committed one by one, salted from this secret (common/record-chain.ts) */
  recordSeed?: string;
  /** periods in calendar days are dated by the calendar (民法典 Arts. 201–203), like working days */
  civilCodeDays?: boolean;
  /** meetings: a real date not after the day recorded, body sizes from the village's register */
  meetingRegister?: boolean;
  /** town rulings: with a reason; uphold goes back only to a passed step (not past the objected one), or stops */
  boundedRulings?: boolean;
  /** amounts committed after the link step (bid, contract, settlement) stay in its tier and link (招标投标法 Art. 4) */
  tenderTiers?: boolean;
  /** a number a route turns on (land's area) is required when the step's answers leave the route open */
  routeInputs?: boolean;
  /** an objection raised while a step the policy names is open is answered within its time (实施条例 Art. 54) */
  objectionDeadlines?: boolean;
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
  kind: 'catch' | 'boundary' | 'window' | 'deadline' | 'objection-answer';
  node: string;
  /** objection-answer: the objection that must be answered by then */
  objection?: string;
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
  /** the time the committee has to answer it (policy `objectionAnswer.<procedure>.<step>`), when one applies */
  answerWithin?: Duration;
  /** when that time ends, once the workflow has dated it */
  answerDueAt?: string;
  /** when it passed unanswered: the objection is overdue and the town is called on to rule */
  overdueSince?: string;
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
  rules?: MatterRules;
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
  rules?: MatterRules;
}

export type EngineEvent =
  | {
      type: 'act';
      at: number;
      actor: Actor;
      step: string | null;
      action: string;
      data?: unknown;
      comment?: string;
      /** meeting records: the village's register in force on the meeting's date, from the directory (API) */
      register?: Register;
      /** raise-objection: the policy's answer times in force today, `<procedure>.<step>` (camelCase) → duration (API) */
      objectionDeadlines?: Record<string, Duration>;
    }
  | { type: 'timer-fired'; at: number; timerId: string }
  | { type: 'timer-scheduled'; at: number; timerId: string; dueAt: number }
  | { type: 'service-done'; at: number; node: string }
  | { type: 'opinion-filed'; at: number; opinionId: string }
  | { type: 'opinion-answered'; at: number; opinionId: string }
  | { type: 'split-checked'; at: number; payee: string; others: { matterId: string; amount: number }[] };
