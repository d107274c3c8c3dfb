import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { chinaDate } from '../../../common/china-date';
import { ErrorCode } from '../../../common/errors';
import type { ProcedureGraph } from '../../../common/graph';
import { MATTER_WORKFLOW, actUpdate, stateQuery, type MatterInput, type MatterView } from '../../../common/matter';
import { MatterSearchAttributes } from '../../../common/search-attributes';
import { CompileError } from '../../../procedures/compiler';
import { PolicyError } from '../../../procedures/policy';
import type { CatalogPort } from '../../catalog-port';
import { ApiError, parseInput } from '../../errors';
import { ActionBodySchema, IdempotencyKeySchema, MatterParamsSchema, StartMatterSchema } from './schemas';

export interface MatterDeps {
  client: Client;
  taskQueue: string;
  catalog: CatalogPort;
  now: () => Date;
}

const REFUSAL_STATUS: Record<string, number> = {
  [ErrorCode.StepNotActive]: 409,
  [ErrorCode.ActionNotAllowed]: 409,
  [ErrorCode.Suspended]: 409,
  [ErrorCode.Ended]: 409,
  [ErrorCode.RoleNotAllowed]: 403,
  [ErrorCode.Recused]: 403,
  [ErrorCode.InvalidData]: 422,
  [ErrorCode.ReasonRequired]: 422,
  [ErrorCode.NoSuchObjection]: 422,
  [ErrorCode.LinkRequired]: 422,
};

function isErrorCode(value: string): value is ErrorCode {
  return (Object.values(ErrorCode) as string[]).includes(value);
}

function detailsOf(failure: ApplicationFailure): { field?: string; message: string }[] {
  const [first] = failure.details ?? [];
  const parsed = z.array(z.object({ field: z.string().optional(), message: z.string() })).safeParse(first);
  return parsed.success ? parsed.data : [];
}

function notFound(id: string): ApiError {
  return new ApiError(404, ErrorCode.NotFound, `No matter ${id} / 未找到该事项`);
}

export function startMatter(deps: MatterDeps): RequestHandler {
  return async (req, res) => {
    const body = parseInput(StartMatterSchema, req.body, 'body');
    const key = parseInput(IdempotencyKeySchema, req.get('Idempotency-Key'), 'header.Idempotency-Key');
    const procedure = await currentProcedure(deps.catalog, body.procedureId, chinaDate(deps.now()));
    if (!procedure) {
      throw new ApiError(404, ErrorCode.UnknownProcedure, `No procedure ${body.procedureId} / 没有该流程`, [
        { field: 'body.procedureId', message: 'unknown procedure' },
      ]);
    }
    const links = await verifiedLinks(deps, procedure.graph, body);
    const matterId = `matter-${key ?? randomUUID()}`;
    const input: MatterInput = {
      graph: procedure.graph,
      matterId,
      village: body.village,
      title: body.title,
      initiator: body.actor,
      links,
    };
    try {
      await deps.client.workflow.start(MATTER_WORKFLOW, {
        taskQueue: deps.taskQueue,
        workflowId: matterId,
        args: [input],
        // The key is the workflow id: a retried request finds the matter it already started.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: MatterSearchAttributes.village, value: body.village },
          { key: MatterSearchAttributes.procedure, value: procedure.graph.id },
          { key: MatterSearchAttributes.status, value: 'running' },
          ...(links.length > 0 ? [{ key: MatterSearchAttributes.links, value: links }] : []),
        ],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    res
      .status(201)
      .location(`/api/matters/${matterId}`)
      .json({ id: matterId, procedure: { id: procedure.graph.id, version: procedure.graph.version } });
  };
}

/** A file that does not compile, or a day with no policy in force, refuses new matters; running ones go on. */
async function currentProcedure(catalog: CatalogPort, id: string, date: string) {
  try {
    return await catalog.current(id, date);
  } catch (err) {
    if (err instanceof CompileError || err instanceof PolicyError) {
      throw new ApiError(409, ErrorCode.ProcedureUnavailable, `${id} cannot start new matters today: ${err.message}`);
    }
    throw err;
  }
}

function linkRefused(message: string, index?: number): ApiError {
  return new ApiError(422, ErrorCode.LinkInvalid, message, [
    { field: index === undefined ? 'body.links' : `body.links.${index}`, message },
  ]);
}

/**
 * Above the procedure's threshold a matter must rest on a completed matter of the linked
 * procedure (a major decision) of the same village; checked here because the validator inside
 * the workflow cannot read other workflows.
 */
async function verifiedLinks(
  deps: MatterDeps,
  graph: ProcedureGraph,
  body: z.infer<typeof StartMatterSchema>,
): Promise<string[]> {
  const links = [...new Set(body.links ?? [])];
  const rule = graph.link;
  if (!rule) {
    if (links.length > 0) throw linkRefused(`${graph.id} does not link to other matters`);
    return [];
  }
  if (body.amount !== undefined && body.amount > rule.above && links.length === 0) {
    throw new ApiError(
      422,
      ErrorCode.LinkRequired,
      `Above ${rule.above} yuan a ${graph.id} must link a completed ${rule.procedure} of village ${body.village} / 超过 ${rule.above} 元须关联本村已办结的重大事项决策`,
      [{ field: 'body.links', message: `amount ${body.amount} is above ${rule.above}` }],
    );
  }
  for (const [index, id] of links.entries()) {
    let linked: MatterView;
    try {
      linked = await deps.client.workflow.getHandle(id).query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw linkRefused(`linked matter ${id} does not exist`, index);
      throw err;
    }
    if (linked.procedure.id !== rule.procedure)
      throw linkRefused(`linked matter ${id} is not a ${rule.procedure}`, index);
    if (linked.village !== body.village) {
      throw linkRefused(`linked matter ${id} belongs to village ${linked.village}, not ${body.village}`, index);
    }
    if (linked.status !== 'ended' || linked.outcome !== 'completed') {
      throw linkRefused(
        `linked matter ${id} is not completed (${linked.status}${linked.outcome ? `: ${linked.outcome}` : ''})`,
        index,
      );
    }
  }
  return links;
}

/** Matters that link to this one (a decision lists the projects and payments resting on it). */
async function linkedFrom(client: Client, id: string): Promise<string[]> {
  const found: string[] = [];
  for await (const wf of client.workflow.list({ query: `MatterLinks = '${id}'` })) found.push(wf.workflowId);
  return found.sort();
}

export function getMatter(deps: MatterDeps): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(MatterParamsSchema, req.params, 'params');
    let view: MatterView;
    try {
      view = await deps.client.workflow.getHandle(id).query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(id);
      throw err;
    }
    res.json({ ...view, linkedFrom: await linkedFrom(deps.client, id) });
  };
}

export function getMatterBpmn(deps: MatterDeps): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(MatterParamsSchema, req.params, 'params');
    let view;
    try {
      view = await deps.client.workflow.getHandle(id).query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(id);
      throw err;
    }
    const pinned = await deps.catalog.get(view.procedure.id, view.procedure.version);
    if (!pinned)
      throw new ApiError(
        404,
        ErrorCode.NotFound,
        `Version ${view.procedure.version} of ${view.procedure.id} is not in the catalog`,
      );
    res.type('application/xml').send(pinned.bpmn);
  };
}

export function actOnMatter(deps: MatterDeps): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(MatterParamsSchema, req.params, 'params');
    const body = parseInput(ActionBodySchema, req.body, 'body');
    const key = parseInput(IdempotencyKeySchema, req.get('Idempotency-Key'), 'header.Idempotency-Key');
    const handle = deps.client.workflow.getHandle(id);
    try {
      // The update id is the idempotency key: the same request sent twice is applied once.
      const result = await handle.executeUpdate(actUpdate, { args: [body], updateId: key ?? randomUUID() });
      res.json(result);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(id);
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        const code = err.cause.type ?? '';
        if (isErrorCode(code) && REFUSAL_STATUS[code] !== undefined) {
          throw new ApiError(REFUSAL_STATUS[code], code, err.cause.message, detailsOf(err.cause));
        }
      }
      throw err;
    }
  };
}
