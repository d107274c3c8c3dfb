import { z } from 'zod';
import type { CatalogPort } from '../../catalog-port';
import { defineRoute, type RouteDef } from '../../route';
import { getProcedure, getProcedureBpmn, listProcedures } from './handlers';
import { ProcedureParamsSchema, VersionParamsSchema } from './schemas';

const ProcedureSchema = z.object({ id: z.string() }).loose();

export function procedureRoutes(catalog: CatalogPort): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/procedures',
      summary: 'The catalog of procedures in force (清单) / 小微权力清单',
      tags: ['procedures'],
      auth: 'public',
      responses: { 200: { description: 'Procedures', schema: z.object({ procedures: z.array(ProcedureSchema) }) } },
      handle: (input) => listProcedures(catalog, input),
    }),
    defineRoute({
      method: 'get',
      path: '/procedures/:id',
      summary: 'One procedure: its current version, graph, roles and time limits / 流程详情',
      tags: ['procedures'],
      auth: 'public',
      params: ProcedureParamsSchema,
      responses: {
        200: { description: 'The procedure', schema: ProcedureSchema },
        404: { description: 'No such procedure' },
      },
      handle: (input) => getProcedure(catalog, input),
    }),
    defineRoute({
      method: 'get',
      path: '/procedures/:id/versions/:version/bpmn',
      summary: 'The BPMN of one version (every version a matter used stays servable) / 流程图',
      tags: ['procedures'],
      auth: 'public',
      params: VersionParamsSchema,
      responses: {
        200: { description: 'BPMN 2.0 XML', schema: z.string(), contentType: 'application/xml' },
        404: { description: 'No such version' },
      },
      handle: (input) => getProcedureBpmn(catalog, input),
    }),
  ];
}
