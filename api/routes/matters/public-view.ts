import { ErrorCode } from '../../../common/errors';
import type { MatterView } from '../../../common/matter';
import { redactMatterView } from '../../../common/redact';
import { seesFull, type Principal } from '../../auth/principal';
import type { CatalogPort } from '../../catalog-port';
import type { DirectoryPort } from '../../../common/directory';
import { ApiError } from '../../errors';

/**
 * What this reader may see of a matter: members of its village, officials of its town and district
 * roles see it as recorded; everyone else sees it with personal data masked. Fails closed: without
 * the pinned graph (which says which fields are personal) the public gets nothing.
 */
export async function readableView(
  deps: { catalog: CatalogPort; directory: DirectoryPort },
  full: MatterView,
  principal: Principal | undefined,
): Promise<{ view: MatterView; access: 'full' | 'public' }> {
  if (seesFull(deps.directory.current(), principal, full.village)) return { view: full, access: 'full' };
  const pinned = await deps.catalog.get(full.procedure.id, full.procedure.version);
  if (!pinned)
    throw new ApiError(
      404,
      ErrorCode.NotFound,
      `Version ${full.procedure.version} of ${full.procedure.id} is not in the catalog / 找不到该事项所用的流程版本`,
    );
  return { view: redactMatterView(full, pinned.graph), access: 'public' };
}
