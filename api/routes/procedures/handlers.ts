import { ErrorCode } from '../../../common/errors';
import type { CatalogPort } from '../../catalog-port';
import { ApiError } from '../../errors';
import type { RouteInput } from '../../route';

export async function listProcedures(catalog: CatalogPort, { res }: RouteInput<unknown, unknown, unknown>) {
  res.json({ procedures: await catalog.list() });
}

export async function getProcedure(
  catalog: CatalogPort,
  { params, res }: RouteInput<{ id: string }, unknown, unknown>,
) {
  const found = (await catalog.list()).find((p) => p.id === params.id);
  if (!found) throw new ApiError(404, ErrorCode.NotFound, `No procedure ${params.id} / 没有该流程`);
  res.json(found);
}

export async function getProcedureBpmn(
  catalog: CatalogPort,
  { params, res }: RouteInput<{ id: string; version: string }, unknown, unknown>,
) {
  const found = await catalog.get(params.id, params.version);
  if (!found)
    throw new ApiError(404, ErrorCode.NotFound, `No version ${params.version} of procedure ${params.id} / 没有该版本`);
  res.type('application/xml').send(found.bpmn);
}
