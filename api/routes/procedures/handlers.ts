import type { RequestHandler } from 'express';
import { ErrorCode } from '../../../common/errors';
import type { CatalogPort } from '../../catalog-port';
import { ApiError, parseInput } from '../../errors';
import { ProcedureParamsSchema, VersionParamsSchema } from './schemas';

export function listProcedures(catalog: CatalogPort): RequestHandler {
  return async (_req, res) => {
    res.json({ procedures: await catalog.list() });
  };
}

export function getProcedure(catalog: CatalogPort): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(ProcedureParamsSchema, req.params, 'params');
    const found = (await catalog.list()).find((p) => p.id === id);
    if (!found) throw new ApiError(404, ErrorCode.NotFound, `No procedure ${id} / 没有该流程`);
    res.json(found);
  };
}

export function getProcedureBpmn(catalog: CatalogPort): RequestHandler {
  return async (req, res) => {
    const { id, version } = parseInput(VersionParamsSchema, req.params, 'params');
    const found = await catalog.get(id, version);
    if (!found) throw new ApiError(404, ErrorCode.NotFound, `No version ${version} of procedure ${id} / 没有该版本`);
    res.type('application/xml').send(found.bpmn);
  };
}
