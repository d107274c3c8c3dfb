import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { ErrorCode } from '../../../common/errors';
import { ApiError, toErrorResponse } from '../../errors';
import { defineRoute, type RouteDef } from '../../route';
import { UnreadSchema } from '../../../stores/read-model/schemas';
import { acknowledge, answer, getOne, list, submit, track, type OpinionDeps } from './handlers';
import {
  AcknowledgeBodySchema,
  AnswerBodySchema,
  FullOpinionSchema,
  ListOpinionsQuerySchema,
  OpinionParamsSchema,
  SubmitOpinionSchema,
  SubmittedOpinionSchema,
  TrackParamsSchema,
} from './schemas';

export interface OpinionLimits {
  /** submissions per address and village per window (OPINION_SUBMISSIONS_PER_HOUR) */
  submissions: number;
  windowMs: number;
  /** bytes of a submission's body */
  maxBodyBytes: number;
}

/**
 * Operational defaults (not law). A whole village often sits behind one shared address (one
 * broadband line, a carrier's NAT): the count is per address and village, and high enough for a
 * village's residents, low enough that one address cannot flood the chair's list.
 */
export const DEFAULT_OPINION_LIMITS: OpinionLimits = {
  submissions: 60,
  windowMs: 60 * 60_000,
  maxBodyBytes: 32 * 1024,
};

function submissionLimiter(limits: OpinionLimits): RequestHandler {
  return rateLimit({
    windowMs: limits.windowMs,
    limit: limits.submissions,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const body: unknown = req.body;
      const village = typeof body === 'object' && body !== null && 'village' in body ? String(body.village) : '';
      return `${ipKeyGenerator(req.ip ?? '')}|${village.slice(0, 64)}`;
    },
    handler: (_req, res) => {
      const minutes = Math.ceil(limits.windowMs / 60_000);
      const { status, body } = toErrorResponse(
        new ApiError(
          429,
          ErrorCode.RateLimited,
          `Too many opinions from this address; try again within ${minutes} minutes / 提交过于频繁，请 ${minutes} 分钟后再试`,
        ),
      );
      res.status(status).json(body);
    },
  });
}

/**
 * The whole API parses JSON up to 100 kB; an opinion is far smaller. Checked on the declared length
 * and on what was parsed (a chunked body declares none), so an oversized one is a 413, never a crash.
 */
function sizeLimit(maxBytes: number): RequestHandler {
  return (req, _res, next) => {
    const declared = Number(req.get('content-length') ?? 0);
    const parsed = req.body === undefined ? 0 : Buffer.byteLength(JSON.stringify(req.body), 'utf8');
    if (declared > maxBytes || parsed > maxBytes) {
      next(
        new ApiError(
          413,
          ErrorCode.PayloadTooLarge,
          `An opinion may be at most ${Math.floor(maxBytes / 1024)} kB / 意见内容过长`,
        ),
      );
      return;
    }
    next();
  };
}

export function opinionRoutes(deps: OpinionDeps & { limits?: Partial<OpinionLimits> }): RouteDef[] {
  const limits = { ...DEFAULT_OPINION_LIMITS, ...deps.limits };
  return [
    defineRoute({
      method: 'post',
      path: '/opinions',
      summary: 'Send an opinion, no log-in needed (民意直通车) / 提交意见',
      tags: ['opinions'],
      auth: 'public',
      body: SubmitOpinionSchema,
      idempotent: true,
      middleware: [sizeLimit(limits.maxBodyBytes), submissionLimiter(limits)],
      responses: {
        201: { description: 'Received; keep the tracking code / 已受理，请保存查询码', schema: SubmittedOpinionSchema },
        404: { description: 'Unknown village or matter' },
        413: { description: 'Too large / 内容过长' },
        422: { description: 'The matter is of another village' },
        429: { description: 'Too many submissions from this address / 提交过于频繁' },
      },
      handle: (input) => submit(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/opinions',
      summary: "A village's opinions with their published answers (public) / 意见列表",
      tags: ['opinions'],
      auth: 'public',
      query: ListOpinionsQuerySchema,
      responses: {
        200: {
          description: 'Newest first',
          schema: z.object({ opinions: z.array(FullOpinionSchema), unread: UnreadSchema }),
        },
        404: { description: 'Unknown village' },
      },
      handle: (input) => list(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/opinions/track/:code',
      summary: 'Follow an opinion by its tracking code (the resident) / 凭查询码查看',
      tags: ['opinions'],
      auth: 'public',
      params: TrackParamsSchema,
      responses: {
        200: { description: 'The opinion, with its answer even when not published', schema: FullOpinionSchema },
        404: { description: 'No opinion has this code' },
      },
      handle: (input) => track(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/opinions/:id',
      summary: 'An opinion (contact details only for the chair and the town) / 意见详情',
      tags: ['opinions'],
      auth: 'public',
      params: OpinionParamsSchema,
      responses: {
        200: { description: 'The opinion', schema: FullOpinionSchema },
        404: { description: 'No such opinion' },
      },
      handle: (input) => getOne(deps, input),
    }),
    defineRoute({
      method: 'post',
      path: '/opinions/:id/acknowledge',
      summary: 'Acknowledge an opinion (supervisory chair; the town after a time limit) / 受理意见',
      tags: ['opinions'],
      auth: 'login',
      params: OpinionParamsSchema,
      body: AcknowledgeBodySchema,
      idempotent: true,
      responses: {
        200: { description: 'Acknowledged', schema: FullOpinionSchema },
        403: { description: 'Not the chair of the village (or the town before a time limit)' },
        409: { description: 'Already acknowledged or answered' },
      },
      handle: (input) => acknowledge(deps, input),
    }),
    defineRoute({
      method: 'post',
      path: '/opinions/:id/answer',
      summary: 'Answer an opinion (supervisory chair; the town after a time limit) / 答复意见',
      tags: ['opinions'],
      auth: 'login',
      params: OpinionParamsSchema,
      body: AnswerBodySchema,
      idempotent: true,
      responses: {
        200: { description: 'Answered', schema: FullOpinionSchema },
        403: { description: 'Not the chair of the village (or the town before a time limit)' },
        409: { description: 'Already answered' },
      },
      handle: (input) => answer(deps, input),
    }),
  ];
}
