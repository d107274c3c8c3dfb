import { z } from 'zod';
import { PingResultSchema } from '../../../common/ping';
import { defineRoute, type RouteDef } from '../../route';
import { getPing, startPing, type PingDeps } from './handlers';
import { PingIdParamsSchema, PingInputSchema } from './schemas';

/** The smallest round trip through Temporal: a workflow with a durable timer and one activity. */
export function pingRoutes(deps: PingDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/pings',
      summary: 'Start a ping workflow (a health check through Temporal)',
      tags: ['system'],
      auth: 'public',
      body: PingInputSchema,
      idempotent: true,
      responses: { 202: { description: 'Started', schema: z.object({ id: z.string() }) } },
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
