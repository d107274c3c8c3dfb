import type { RouteDef } from '../../route';
import { defineRoute } from '../../route';
import { actOnMatter, getMatter, getMatterBpmn, listMatters, startMatter } from './handlers';
import type { MatterDeps } from './service';
import {
  ActionBodySchema,
  ActResultSchema,
  ListMattersQuerySchema,
  MatterParamsSchema,
  MatterSummarySchema,
  MatterViewSchema,
  StartMatterSchema,
  StartedSchema,
} from './schemas';
import { z } from 'zod';

export function matterRoutes(deps: MatterDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/matters',
      summary: 'List matters (public) / 事项列表',
      tags: ['matters'],
      auth: 'public',
      query: ListMattersQuerySchema,
      responses: {
        200: { description: 'Matters, newest first', schema: z.object({ matters: z.array(MatterSummarySchema) }) },
      },
      handle: (input) => listMatters(deps, input),
    }),
    defineRoute({
      method: 'post',
      path: '/matters',
      summary: 'Start a matter of a procedure in a village / 发起事项',
      tags: ['matters'],
      auth: 'login',
      body: StartMatterSchema,
      idempotent: true,
      responses: {
        201: { description: 'Started (or found, for a repeated Idempotency-Key)', schema: StartedSchema },
        403: { description: 'No role in that village / 无权在该村发起' },
        404: { description: 'Unknown village or procedure' },
        409: { description: 'The procedure cannot start matters today' },
        422: { description: 'Links missing or invalid' },
      },
      handle: (input) => startMatter(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/matters/:id',
      summary: 'A matter: steps, record, meetings, notices (redacted for the public) / 事项详情',
      tags: ['matters'],
      auth: 'public',
      params: MatterParamsSchema,
      responses: {
        200: { description: 'The matter', schema: MatterViewSchema },
        404: { description: 'No such matter' },
      },
      handle: (input) => getMatter(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/matters/:id/bpmn',
      summary: "The matter's own (pinned) BPMN version / 事项所用流程图",
      tags: ['matters'],
      auth: 'public',
      params: MatterParamsSchema,
      responses: {
        200: { description: 'BPMN 2.0 XML', schema: z.string(), contentType: 'application/xml' },
        404: { description: 'No such matter' },
      },
      handle: (input) => getMatterBpmn(deps, input),
    }),
    defineRoute({
      method: 'post',
      path: '/matters/:id/actions',
      summary: 'Act on a step (or on the whole matter: objections) as the signed-in user / 办理',
      tags: ['matters'],
      auth: 'login',
      params: MatterParamsSchema,
      body: ActionBodySchema,
      idempotent: true,
      responses: {
        200: { description: 'Applied', schema: ActResultSchema },
        403: { description: 'Role not allowed, not held, out of scope, or recused / 无权或须回避' },
        404: { description: 'No such matter' },
        409: { description: 'Step not active, matter suspended or ended' },
        422: { description: 'Data fails the step rules (details name the field)' },
      },
      handle: (input) => actOnMatter(deps, input),
    }),
  ];
}
