import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { MATTER_WORKFLOW } from '../../common/matter';
import { SUMMARY_MEMO, SUMMARY_VERSION, waitingOn, type MatterSummary } from '../../common/matter-summary';
import { MatterSearchAttributes as A } from '../../common/search-attributes';
import { where } from '../../common/visibility-query';
import { visibilityRows } from '.';
import type { LegacyMatter, MatterProjection, ProjectedMatter } from './projection';

/** The projection's note that the matters written before it are in. */
export const ADOPTED_KEY = 'adopted-from-visibility';

const STATUS = /^(running|suspended|ended)(?::(.*))?$/;

function summaryOf(info: WorkflowExecutionInfo): MatterSummary | undefined {
  const summary = info.memo?.[SUMMARY_MEMO];
  if (typeof summary !== 'object' || summary === null) return undefined;
  return (summary as { v?: unknown }).v === SUMMARY_VERSION ? (summary as MatterSummary) : undefined;
}

/** A matter's row as its visibility record tells it: its published summary, or its search attributes. */
export function projectedFromVisibility(info: WorkflowExecutionInfo): ProjectedMatter | LegacyMatter {
  const attrs = info.typedSearchAttributes;
  const links = attrs.get(A.links) ?? [];
  const ended = info.status.name !== 'RUNNING';
  const closedAt = ended ? info.closeTime?.getTime() : undefined;
  const summary = summaryOf(info);
  if (summary) {
    // a matter that stopped without ending (terminated by an operator) ends here too
    const status = ended ? 'ended' : summary.status;
    return {
      summary: { ...summary, status },
      waitingOn: waitingOn({ ...summary, status }),
      links,
      ...(closedAt !== undefined ? { closedAt } : {}),
    };
  }
  const match = STATUS.exec(attrs.get(A.status) ?? '');
  const title = info.memo?.title;
  const startedAt = info.memo?.startedAt;
  const amount = attrs.get(A.amount);
  return {
    id: info.workflowId,
    village: attrs.get(A.village) ?? '',
    procedure: attrs.get(A.procedure) ?? '',
    status: ended ? 'ended' : ((match?.[1] ?? 'running') as LegacyMatter['status']),
    ...(match?.[2] ? { outcome: match[2] } : {}),
    ...(typeof title === 'string' ? { title } : {}),
    ...(amount !== undefined ? { amount } : {}),
    activeSteps: attrs.get(A.activeSteps) ?? [],
    links,
    startedAt: typeof startedAt === 'string' ? Date.parse(startedAt) : info.startTime.getTime(),
    ...(closedAt !== undefined ? { closedAt } : {}),
  };
}

/**
 * Matters written before the projection existed (or all of them, when its file is new) come in once
 * from their visibility rows: the summary memo every matter publishes, or, for older code, its
 * search attributes. A matter that wrote its own row meanwhile keeps it. Idempotent: run by the
 * worker at every start until it has finished once.
 */
export async function adoptFromVisibility(
  client: Client,
  projection: MatterProjection,
  options: {
    /** a further visibility filter: the matters of one task queue (a test's own, on a shared server) */
    only?: string;
    now?: () => Date;
  } = {},
): Promise<{ adopted: number; seen: number } | undefined> {
  if (projection.meta(ADOPTED_KEY) !== undefined) return undefined;
  const now = options.now ?? (() => new Date());
  const rows = await visibilityRows(
    client,
    where.and(
      where.eq('WorkflowType', MATTER_WORKFLOW),
      where.ne('ExecutionStatus', 'ContinuedAsNew'),
      ...(options.only ? [options.only] : []),
    ),
  );
  let adopted = 0;
  for (const info of rows) if (projection.adopt(projectedFromVisibility(info))) adopted += 1;
  projection.setMeta(ADOPTED_KEY, now().toISOString());
  return { adopted, seen: rows.length };
}
