import { createHash, createHmac, randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { canonicalJson } from '../../../common/canonical-json';
import { ErrorCode } from '../../../common/errors';
import {
  OPINION_WORKFLOW,
  acknowledgeOpinionUpdate,
  answerOpinionUpdate,
  OPINION_MEMO,
  opinionQuery,
  type AcknowledgeRequest,
  type AnswerRequest,
  type OpinionInput,
  type OpinionState,
} from '../../../common/opinion';
import { OpinionSearchAttributes } from '../../../common/search-attributes';
import { ApiError, workflowRefusal } from '../../errors';

/**
 * Opinions over Temporal, for the route handlers (and tests that start opinions directly).
 * The tracking code is the resident's secret: 80 random bits in Crockford base32. The public id is
 * derived from it by a one-way hash, so the code can find its opinion but the id never reveals the code.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newTrackingCode(bytes: Uint8Array = randomBytes(10)): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)?.join('-') ?? out;
}

/**
 * The code a submission with this Idempotency-Key gets: a retried request (a phone on a poor line)
 * finds the opinion it already sent instead of sending it twice. Keyed with the server's secret and
 * the caller (api/idempotency.ts), so neither knowing a key nor sending it from elsewhere gives the code.
 */
export function trackingCodeForKey(secret: Uint8Array, scope: string, idempotencyKey: string): string {
  return newTrackingCode(
    createHmac('sha256', secret).update(`opinion\0${scope}\0${idempotencyKey}`).digest().subarray(0, 10),
  );
}

/** Which submission a key stood for: kept in the opinion's memo, compared when the key comes again. */
export function submissionFingerprint(submission: SubmitOpinion): string {
  const { deadlines: _deadlines, ...content } = submission;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** Upper case, no separators, and the letters Crockford reads as digits (O→0, I/L→1). */
export function normaliseTrackingCode(code: string): string | undefined {
  const plain = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(plain) ? plain : undefined;
}

export function opinionIdOf(trackingCode: string): string {
  const plain = normaliseTrackingCode(trackingCode);
  if (!plain) throw new Error('not a tracking code');
  return `opinion-${createHash('sha256').update(`xwql-opinion:${plain}`).digest('hex').slice(0, 24)}`;
}

/** What a resident sends: the opinion's input, less the id that its tracking code gives. */
export type SubmitOpinion = Omit<OpinionInput, 'opinionId'>;

export async function submitOpinion(
  client: Client,
  taskQueue: string,
  submission: SubmitOpinion,
  trackingCode: string = newTrackingCode(),
): Promise<{ opinionId: string; trackingCode: string; sameSubmission: boolean }> {
  const opinionId = opinionIdOf(trackingCode);
  const input: OpinionInput = { opinionId, ...submission };
  const request = submissionFingerprint(submission);
  try {
    await client.workflow.start(OPINION_WORKFLOW, {
      taskQueue,
      workflowId: opinionId,
      args: [input],
      // Same code (same Idempotency-Key, same sender) → the opinion already sent, never a second one.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { request },
      typedSearchAttributes: [
        { key: OpinionSearchAttributes.village, value: submission.village },
        { key: OpinionSearchAttributes.status, value: 'submitted' },
      ],
    });
  } catch (err) {
    // an answered opinion has closed: a resend still finds it
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const found = await client.workflow.getHandle(opinionId).describe();
  return { opinionId, trackingCode, sameSubmission: found.memo?.request === request };
}

function notFound(): ApiError {
  return new ApiError(404, ErrorCode.NotFound, 'No such opinion / 未找到该意见');
}

/**
 * The full state (contact details included): callers decide what to show to whom. Read from what
 * the opinion published (describe: no worker, no replay); an answered opinion of older code from
 * its result, a running one by its query.
 */
export async function readOpinion(client: Client, opinionId: string): Promise<OpinionState> {
  try {
    const handle = client.workflow.getHandle(opinionId);
    const described = await handle.describe();
    const published = described.memo?.[OPINION_MEMO];
    if (typeof published === 'object' && published !== null) return published as OpinionState;
    if (described.status.name === 'COMPLETED') return (await handle.result()) as OpinionState;
    return await handle.query(opinionQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound();
    throw err;
  }
}

async function update<R>(client: Client, opinionId: string, run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      // An answered opinion's workflow has closed: that is a conflict, not a missing opinion.
      const state = await readOpinion(client, opinionId);
      throw new ApiError(409, ErrorCode.StepNotActive, `the opinion is ${state.status} / 该意见已办结`);
    }
    throw workflowRefusal(err) ?? err;
  }
}

export function acknowledgeOpinion(client: Client, opinionId: string, request: AcknowledgeRequest, updateId?: string) {
  return update(client, opinionId, () =>
    client.workflow
      .getHandle(opinionId)
      .executeUpdate(acknowledgeOpinionUpdate, { args: [request], ...(updateId ? { updateId } : {}) }),
  );
}

export function answerOpinion(client: Client, opinionId: string, request: AnswerRequest, updateId?: string) {
  return update(client, opinionId, () =>
    client.workflow
      .getHandle(opinionId)
      .executeUpdate(answerOpinionUpdate, { args: [request], ...(updateId ? { updateId } : {}) }),
  );
}
