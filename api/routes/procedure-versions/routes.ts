import { z } from 'zod';
import { ProcedureGraphSchema } from '../../../common/graph';
import type { CatalogPort } from '../../catalog-port';
import { defineRoute, type RouteDef } from '../../route';
import { VersionParamsSchema } from '../procedures/schemas';
import { getProcedureVersion } from './handlers';

/** What the pages need beyond the BPMN: the compiled graph (fields, roles, time limits, meeting rules). */
export function procedureVersionRoutes(catalog: CatalogPort): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/procedures/:id/versions/:version',
      summary: 'The compiled graph of one version: steps, fields, roles, time limits, policy / 流程版本（编译结果）',
      tags: ['procedures'],
      auth: 'public',
      params: VersionParamsSchema,
      responses: {
        200: {
          description: 'The graph',
          schema: z.object({ id: z.string(), version: z.string(), graph: ProcedureGraphSchema }),
        },
        404: { description: 'No such version' },
      },
      handle: (input) => getProcedureVersion(catalog, input),
    }),
  ];
}
