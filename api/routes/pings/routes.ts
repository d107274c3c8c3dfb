import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { ErrorCode } from '../../../common/errors';
import { ApiError, toErrorResponse } from '../../errors';
import { PingResultSchema } from '../../../common/ping';
import { defineRoute, type RouteDef } from '../../route';
import { getPing, startPing, type PingDeps } from './handlers';
import { PingIdParamsSchema, PingInputSchema } from './schemas';

/** Pings a signed-in user may start per minute: a check by hand, not a way to fill Temporal with timers. */
export const PINGS_PER_MINUTE = 10;

function pingLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // after authenticate(): per user; anonymous requests are refused 401 by the route anyway
    keyGenerator: (req, res) => {
      const principal: unknown = res.locals.principal;
      const id = typeof principal === 'object' && principal !== null && 'id' in principal ? String(principal.id) : '';
      return id !== '' ? `user:${id}` : `address:${ipKeyGenerator(req.ip ?? '')}`;
    },
    handler: (_req, res) => {
      const { status, body } = toErrorResponse(
        new ApiError(
          429,
          ErrorCode.RateLimited,
          'Too many pings; try again in a minute / 请求过于频繁，请一分钟后再试',
        ),
      );
      res.status(status).json(body);
    },
  });
}

/**
 * The smallest round trip through Temporal: a workflow with a durable timer and one activity.
 * Starting one needs a log-in and is limited per user (it was open: 51 workflows/s of 24-hour
 * timers from anyone); /readyz runs its own probe ping without HTTP.
 */
export function pingRoutes(deps: PingDeps & { perMinute?: number }): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/pings',
      summary: 'Start a ping workflow (a health check through Temporal; signed in, 10 a minute)',
      tags: ['system'],
      auth: 'login',
      body: PingInputSchema,
      idempotent: true,
      middleware: [pingLimiter(deps.perMinute ?? PINGS_PER_MINUTE)],
      responses: {
        202: { description: 'Started', schema: z.object({ id: z.string() }) },
        429: { description: 'Too many pings / 请求过于频繁' },
      },
      handle: (input) => startPing(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/pings/:id',
      summary: 'A ping and its result',
      tags: ['system'],
      auth: 'public',
      params: PingIdParamsSchema,
      responses: {
        200: {
          description: 'The ping',
          schema: z.object({
            id: z.string(),
            status: z.string(),
            startedAt: z.string(),
            result: PingResultSchema.optional(),
          }),
        },
        404: { description: 'No such ping' },
      },
      handle: (input) => getPing(deps, input),
    }),
  ];
}
