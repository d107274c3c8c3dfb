import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

/**
 * How long Temporal keeps a closed workflow (and its visibility row). The dev server's default is
 * 24 hours: a matter paid on the 5th would be gone before the monthly notice of the 1st, and the
 * yearly report would see one day. Village records are archived for years, so the embedded server
 * keeps closed matters, opinions and notices for ten years.
 */
export const KEEP_CLOSED_DAYS = 3650;

const DAY_SECONDS = 86_400;

/** Raises the namespace's retention to `days` if it is shorter; never lowers it. Returns the days in force. */
export async function ensureRetention(
  connection: Connection,
  namespace: string,
  days = KEEP_CLOSED_DAYS,
): Promise<number> {
  const described = await connection.workflowService.describeNamespace({ namespace });
  const current = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  if (current >= days * DAY_SECONDS) return Math.floor(current / DAY_SECONDS);
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(days * DAY_SECONDS * 1000) },
  });
  return days;
}
