import type { InjectedSinks } from '@temporalio/worker';
import type { ProjectedMatter, ProjectionSinks } from '../common/matter-summary';
import type { MatterProjection } from '../stores/read-model';

/** How long a row that could not be written waits before the next try. */
export const PROJECTION_RETRY_MS = 1000;

/**
 * Where matters write their rows (common/matter-summary.ts `ProjectionSinks`). The SDK does not retry
 * a sink, so a row that cannot be written now (the file locked longer than its busy timeout, the disk
 * full) is kept, the newest per matter, and written again until it lands; a newer row of the same
 * matter replaces it. Not called while a history replays: a row is written when the matter changes,
 * live. A replay worker (the tests' guard) passes no projection: it has the sink, and writes nothing.
 */
export function projectionSinks(
  projection?: Pick<MatterProjection, 'put'>,
  onError: (err: unknown, matterId: string) => void = () => undefined,
  retryMs = PROJECTION_RETRY_MS,
): InjectedSinks<ProjectionSinks> {
  const waiting = new Map<string, ProjectedMatter>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    for (const [id, row] of waiting) {
      try {
        projection?.put(row);
        waiting.delete(id);
      } catch (err) {
        onError(err, id);
      }
    }
    if (waiting.size > 0 && !timer) timer = setTimeout(flush, retryMs).unref();
  };
  return {
    projection: {
      put: {
        fn: (_info, row) => {
          waiting.set(row.summary.matterId, row);
          flush();
        },
        callDuringReplay: false,
      },
    },
  };
}
