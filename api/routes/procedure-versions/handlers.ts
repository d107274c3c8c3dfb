import { ErrorCode } from '../../../common/errors';
import type { CatalogPort } from '../../catalog-port';
import { ApiError } from '../../errors';
import type { RouteInput } from '../../route';

/**
 * The compiled graph of one procedure version: the UI builds its forms from the step fields,
 * shows roles and time limits, and checks meeting quorum with the policy's rules in it.
 */
export async function getProcedureVersion(
  catalog: CatalogPort,
  { params, res }: RouteInput<{ id: string; version: string }, unknown, unknown>,
) {
  const found = await catalog.get(params.id, params.version);
  if (!found)
    throw new ApiError(404, ErrorCode.NotFound, `No version ${params.version} of procedure ${params.id} / 没有该版本`);
  res.json({ id: params.id, version: params.version, graph: found.graph });
}
