import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  AcknowledgeRequestSchema,
  AnswerRequestSchema,
  acknowledgeOpinionUpdate,
  answerOpinionUpdate,
  opinionAnsweredSignal,
  opinionFiledSignal,
  OPINION_MEMO,
  opinionQuery,
  opinionRefusal,
  type OpinionActor,
  type OpinionInput,
  type OpinionState,
} from '../common/opinion';
import { OpinionSearchAttributes } from '../common/search-attributes';

const { computeDueAt } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10 },
});

/**
 * Patch id of the opinion's read model (issue 12): its state is published as the memo `opinion`
 * (and its status attribute) whenever it changes, so lists and the task list read visibility, not
 * every opinion. Opinions recorded before it replay as they ran.
 */
export const OPINION_READ_MODEL_PATCH = 'opinion-read-model';

function iso(at: number): string {
  return new Date(at).toISOString();
}

/**
 * 民意直通车: one resident's opinion, from submission to its answer. The supervisory committee
 * chair acknowledges and answers it within working-day limits (computed by the calendar activity,
 * so they are in history); a limit that passes escalates the opinion to the town. An opinion
 * about a matter tells the matter, which holds an open disclosure until the answer.
 */
export async function opinion(input: OpinionInput): Promise<OpinionState> {
  const submittedAt = Date.now();
  const state: OpinionState = {
    opinionId: input.opinionId,
    village: input.village,
    ...(input.town ? { town: input.town } : {}),
    ...(input.matterId ? { matterId: input.matterId } : {}),
    subject: input.subject,
    text: input.text,
    ...(input.contact ? { contact: input.contact } : {}),
    publishAnswer: input.publishAnswer,
    status: 'submitted',
    submittedAt: iso(submittedAt),
    escalations: [],
  };
  setHandler(opinionQuery, () => state);

  const refuse = (action: 'acknowledge' | 'answer', actor: OpinionActor) => {
    const refusal = opinionRefusal(state, action, actor);
    if (refusal) throw ApplicationFailure.create({ message: refusal.message, type: refusal.code, nonRetryable: true });
  };
  const malformed = (message: string) =>
    ApplicationFailure.create({ message: `malformed request: ${message}`, type: 'INVALID_DATA', nonRetryable: true });

  setHandler(
    acknowledgeOpinionUpdate,
    (request) => {
      state.acknowledged = {
        userId: request.actor.userId,
        role: request.actor.role,
        at: iso(Date.now()),
        ...(request.note ? { note: request.note } : {}),
      };
      state.status = 'acknowledged';
      publishChange();
      return state;
    },
    {
      validator: (request) => {
        const parsed = AcknowledgeRequestSchema.safeParse(request);
        if (!parsed.success) throw malformed(parsed.error.message);
        refuse('acknowledge', parsed.data.actor);
      },
    },
  );
  setHandler(
    answerOpinionUpdate,
    (request) => {
      const at = iso(Date.now());
      const by = { userId: request.actor.userId, role: request.actor.role, at };
      // Answering is also acknowledging: the resident has been heard.
      state.acknowledged ??= by;
      state.answered = { ...by, answer: request.answer.trim() };
      state.status = 'answered';
      publishChange();
      return state;
    },
    {
      validator: (request) => {
        const parsed = AnswerRequestSchema.safeParse(request);
        if (!parsed.success) throw malformed(parsed.error.message);
        refuse('answer', parsed.data.actor);
      },
    },
  );

  const attributes = () => [
    { key: OpinionSearchAttributes.village, value: state.village },
    { key: OpinionSearchAttributes.status, value: state.status },
  ];
  // What stands in visibility (from the start, then from this run): each is upserted only when it changed.
  const startedWith = workflowInfo().typedSearchAttributes;
  const attributesNow = () => JSON.stringify([state.village, state.status]);
  let publishedAttributes = JSON.stringify([
    startedWith.get(OpinionSearchAttributes.village),
    startedWith.get(OpinionSearchAttributes.status),
  ]);
  let publishedState = '';
  const publish = () => {
    if (!patched(OPINION_READ_MODEL_PATCH)) {
      upsertSearchAttributes(attributes());
      return;
    }
    if (attributesNow() !== publishedAttributes) {
      upsertSearchAttributes(attributes());
      publishedAttributes = attributesNow();
    }
    const now = JSON.stringify(state);
    if (now !== publishedState) {
      upsertMemo({ [OPINION_MEMO]: state });
      publishedState = now;
    }
  };
  /** After an update: older code published nothing there (its history has no such command). */
  const publishChange = () => {
    if (patched(OPINION_READ_MODEL_PATCH)) publish();
  };
  publish();

  // First, so that the matter holds its disclosure from the moment of submission.
  if (input.matterId) {
    try {
      await getExternalWorkflowHandle(input.matterId).signal(opinionFiledSignal, { opinionId: input.opinionId });
      state.matterNotified = true;
    } catch {
      // The matter has ended (or never existed): there is no disclosure to hold.
      state.matterNotified = false;
    }
  }

  const acknowledgeDue = await computeDueAt({ from: submittedAt, duration: input.deadlines.acknowledge });
  const answerDue = await computeDueAt({ from: submittedAt, duration: input.deadlines.answer });
  state.acknowledgeDueAt = iso(acknowledgeDue);
  state.answerDueAt = iso(answerDue);
  publishChange();

  const limits: { deadline: 'acknowledge' | 'answer'; dueAt: number; met: () => boolean }[] = [
    { deadline: 'acknowledge', dueAt: acknowledgeDue, met: () => state.status !== 'submitted' },
    { deadline: 'answer', dueAt: answerDue, met: () => state.status === 'answered' },
  ];
  for (const limit of limits) {
    const waitMs = limit.dueAt - Date.now();
    const met = limit.met() || (waitMs > 0 && (await condition(limit.met, waitMs)));
    if (!met) {
      state.escalations.push({ deadline: limit.deadline, at: iso(Date.now()) });
      publish();
    }
  }
  await condition(() => state.status === 'answered');
  publish();

  if (input.matterId && state.matterNotified) {
    try {
      await getExternalWorkflowHandle(input.matterId).signal(opinionAnsweredSignal, { opinionId: input.opinionId });
    } catch {
      // The matter ended meanwhile: nothing is held any more.
    }
  }
  await condition(allHandlersFinished);
  return state;
}
