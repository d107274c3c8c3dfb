import type { z } from 'zod';
import { headOf, verifyChain } from '../../../common/record-chain';
import type { CatalogPort } from '../../catalog-port';
import type { DirectoryPort } from '../../../common/directory';
import type { ReadModel } from '../../read-model';
import { stateOf } from './handlers';
import { readableView } from './public-view';
import type { RouteInput } from '../../route';
import type { RecordExport, VerifyRecordBodySchema } from './record-schemas';

export interface RecordDeps {
  readModel: ReadModel;
  catalog: CatalogPort;
  directory: DirectoryPort;
  now: () => Date;
}

type Input<P = unknown, B = unknown> = RouteInput<P, unknown, B>;

/**
 * The record of a matter as a file: members of the village (town and district roles too) get it
 * as recorded; everyone else gets it with personal data masked (fail closed: no pinned graph, no
 * public export, since the graph says which fields are personal).
 */
export async function exportRecord(deps: RecordDeps, { params, principal, res }: Input<{ id: string }>): Promise<void> {
  const full = await stateOf(deps.readModel, params.id);
  const { view, access } = await readableView(deps, full, principal);
  const body: RecordExport = {
    matterId: view.matterId,
    procedure: { id: view.procedure.id, version: view.procedure.version },
    village: view.village,
    title: view.title,
    access,
    exportedAt: deps.now().toISOString(),
    entries: view.record,
    head: headOf(view.record),
  };
  res.status(200).set('Content-Disposition', `attachment; filename="${view.matterId}-record.json"`).json(body);
}

/** Recomputes the live chain of a matter (no personal data in the answer, so it is public). */
export async function verifyLiveRecord(deps: RecordDeps, { params, res }: Input<{ id: string }>): Promise<void> {
  const view = await stateOf(deps.readModel, params.id);
  const verdict = verifyChain(view.record);
  res.json({
    ok: verdict.ok,
    length: verdict.entries,
    head: verdict.head,
    ...(verdict.brokenAt !== undefined ? { brokenAt: verdict.brokenAt, reason: verdict.reason } : {}),
  });
}

/** Checks an exported record (e.g. one a resident downloaded): 200 with the verdict either way. */
export function verifyExportedRecord({ body, res }: Input<unknown, z.infer<typeof VerifyRecordBodySchema>>): void {
  const verdict = verifyChain(body.entries);
  const headMismatch = verdict.ok && body.head !== undefined && body.head !== verdict.head;
  const last = body.entries.at(-1);
  const lastSeq = typeof last?.seq === 'number' ? last.seq : body.entries.length;
  res.json({
    ...(body.matterId !== undefined ? { matterId: body.matterId } : {}),
    ok: verdict.ok && !headMismatch,
    length: verdict.entries,
    head: verdict.head,
    redacted: verdict.redacted,
    ...(verdict.brokenAt !== undefined ? { brokenAt: verdict.brokenAt, reason: verdict.reason } : {}),
    ...(headMismatch
      ? {
          brokenAt: lastSeq,
          reason:
            'head is not the hash of the last entry: the record was cut or extended / 末尾哈希对不上：记录被截断或追加过',
        }
      : {}),
  });
}
