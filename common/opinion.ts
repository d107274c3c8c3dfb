import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { DurationSchema } from './graph';

/**
 * Contract of the `opinion` workflow (民意直通车): one durable workflow per resident's opinion,
 * and the two signals it sends the matter it is about.
 */

export const OPINION_WORKFLOW = 'opinion';

/** Memo key of an opinion's state, published whenever it changes (the lists' read model). */
export const OPINION_MEMO = 'opinion';

/** Policy keys of the two time limits (procedures/policies/*.json). */
export const OPINION_POLICY_KEYS = {
  acknowledge: 'opinions.acknowledgeDeadline',
  answer: 'opinions.answerDeadline',
} as const;

export const OpinionDeadlinesSchema = z.object({ acknowledge: DurationSchema, answer: DurationSchema });
export type OpinionDeadlines = z.infer<typeof OpinionDeadlinesSchema>;

/** The deadlines in force, from the policy values of the day (a missing or bad value is a configuration error). */
export function opinionDeadlinesFrom(values: Record<string, unknown>): OpinionDeadlines {
  return OpinionDeadlinesSchema.parse({
    acknowledge: values[OPINION_POLICY_KEYS.acknowledge],
    answer: values[OPINION_POLICY_KEYS.answer],
  });
}

/** Contact details: optional, never public, shown only to the chair and the town. */
export const ContactSchema = z
  .object({
    name: z.string().trim().min(1).max(50).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^[0-9+\- ]{5,20}$/, 'phone: digits, spaces, + and - only')
      .optional(),
    email: z.string().trim().email().max(200).optional(),
  })
  .strict();
export type Contact = z.infer<typeof ContactSchema>;

export const OPINION_TEXT_MAX = 5000;

export interface OpinionInput {
  /** public id, also the workflow id: `opinion-<sha256(tracking code) prefix>` */
  opinionId: string;
  village: string;
  /** the town of the village: it takes over when a deadline passes */
  town?: string;
  /** the matter the opinion is about, if any */
  matterId?: string;
  subject: string;
  text: string;
  contact?: Contact;
  /** the resident may ask that the answer not be published */
  publishAnswer: boolean;
  /** the policy's time limits on the day of submission, pinned in history */
  deadlines: OpinionDeadlines;
}

export const OpinionStatusSchema = z.enum(['submitted', 'acknowledged', 'answered']);
export type OpinionStatus = z.infer<typeof OpinionStatusSchema>;

export interface OpinionEscalation {
  /** which time limit passed */
  deadline: 'acknowledge' | 'answer';
  at: string;
}

export interface OpinionAction {
  userId: string;
  role: OpinionActorRole;
  at: string;
}

export interface OpinionState {
  opinionId: string;
  village: string;
  town?: string;
  matterId?: string;
  subject: string;
  text: string;
  contact?: Contact;
  publishAnswer: boolean;
  status: OpinionStatus;
  submittedAt: string;
  acknowledgeDueAt?: string;
  answerDueAt?: string;
  acknowledged?: OpinionAction & { note?: string };
  answered?: OpinionAction & { answer: string };
  /** a time limit passed before the chair acted: the town may act from then on */
  escalations: OpinionEscalation[];
  /** whether the matter was told (it may have ended or not exist) */
  matterNotified?: boolean;
}

export const OpinionActorRoleSchema = z.enum(['supervisor-chair', 'town-official']);
export type OpinionActorRole = z.infer<typeof OpinionActorRoleSchema>;

export const OpinionActorSchema = z.object({
  userId: z.string().trim().min(1).max(100),
  role: OpinionActorRoleSchema,
});
export type OpinionActor = z.infer<typeof OpinionActorSchema>;

export const AcknowledgeRequestSchema = z.object({
  actor: OpinionActorSchema,
  note: z.string().trim().max(2000).optional(),
});
export type AcknowledgeRequest = z.infer<typeof AcknowledgeRequestSchema>;

export const AnswerRequestSchema = z.object({
  actor: OpinionActorSchema,
  answer: z.string().trim().min(1, 'answer must not be empty').max(OPINION_TEXT_MAX),
});
export type AnswerRequest = z.infer<typeof AnswerRequestSchema>;

export const acknowledgeOpinionUpdate = defineUpdate<OpinionState, [AcknowledgeRequest]>('acknowledge');
export const answerOpinionUpdate = defineUpdate<OpinionState, [AnswerRequest]>('answer');
export const opinionQuery = defineQuery<OpinionState>('opinion');

/** Sent by an opinion to the matter it is about; the matter holds its open disclosure until answered. */
export const opinionFiledSignal = defineSignal<[{ opinionId: string }]>('opinion-filed');
export const opinionAnsweredSignal = defineSignal<[{ opinionId: string }]>('opinion-answered');

export interface OpinionRefusal {
  code: 'STEP_NOT_ACTIVE' | 'ROLE_NOT_ALLOWED';
  message: string;
}

/**
 * Who may act now. The chair always may; a town official only once a time limit has passed
 * (the API checks that the person holds the role in the village's scope).
 */
export function opinionRefusal(
  state: OpinionState,
  action: 'acknowledge' | 'answer',
  actor: OpinionActor,
): OpinionRefusal | undefined {
  if (state.status === 'answered')
    return { code: 'STEP_NOT_ACTIVE', message: 'the opinion has been answered / 该意见已答复' };
  if (action === 'acknowledge' && state.status !== 'submitted')
    return { code: 'STEP_NOT_ACTIVE', message: 'the opinion has been acknowledged / 该意见已受理' };
  if (actor.role === 'town-official' && state.escalations.length === 0)
    return {
      code: 'ROLE_NOT_ALLOWED',
      message:
        'the town acts on an opinion only after a time limit has passed / 期限届满前由村务监督委员会主任办理，镇里不能代办',
    };
  return undefined;
}

/** What anyone may read: no contact details; the answer only if the resident allowed it. */
export interface PublicOpinion {
  opinionId: string;
  village: string;
  matterId?: string;
  subject: string;
  text: string;
  status: OpinionStatus;
  submittedAt: string;
  acknowledgeDueAt?: string;
  answerDueAt?: string;
  acknowledgedAt?: string;
  answeredAt?: string;
  answer?: string;
  /** the answer exists but the resident asked that it not be published */
  answerWithheld?: boolean;
  escalated: boolean;
}

export function publicOpinion(state: OpinionState): PublicOpinion {
  return {
    opinionId: state.opinionId,
    village: state.village,
    ...(state.matterId ? { matterId: state.matterId } : {}),
    subject: state.subject,
    text: state.text,
    status: state.status,
    submittedAt: state.submittedAt,
    ...(state.acknowledgeDueAt ? { acknowledgeDueAt: state.acknowledgeDueAt } : {}),
    ...(state.answerDueAt ? { answerDueAt: state.answerDueAt } : {}),
    ...(state.acknowledged ? { acknowledgedAt: state.acknowledged.at } : {}),
    ...(state.answered ? { answeredAt: state.answered.at } : {}),
    ...(state.answered && state.publishAnswer ? { answer: state.answered.answer } : {}),
    ...(state.answered && !state.publishAnswer ? { answerWithheld: true } : {}),
    escalated: state.escalations.length > 0,
  };
}

/** Answered by the answer deadline (and acknowledged by the acknowledge deadline). */
export function answeredOnTime(state: OpinionState): boolean {
  if (!state.answered) return false;
  const ackOk =
    !state.acknowledgeDueAt ||
    Date.parse((state.acknowledged ?? state.answered).at) <= Date.parse(state.acknowledgeDueAt);
  const ansOk = !state.answerDueAt || Date.parse(state.answered.at) <= Date.parse(state.answerDueAt);
  return ackOk && ansOk;
}
