import type { Client } from '@temporalio/client';
import { MatterSearchAttributes } from '../common/search-attributes';
import { where } from '../common/visibility-query';

export interface RecentPaymentsInput {
  procedure: string;
  village: string;
  payee: string;
  /** epoch ms: matters started at or after this instant count */
  since: number;
  exclude: string;
}

/**
 * Other payments of the village to the same payee in the window, from visibility. Ended matters
 * that did not complete (rejected, withdrawn, stopped) paid nothing and do not count.
 */
export async function findRecentPayments(
  client: Client,
  input: RecentPaymentsInput,
): Promise<{ matterId: string; amount: number }[]> {
  const query = where.and(
    where.eq(MatterSearchAttributes.procedure.name, input.procedure),
    where.eq(MatterSearchAttributes.village.name, input.village),
    where.eq(MatterSearchAttributes.payee.name, input.payee),
    where.gte('StartTime', new Date(input.since)),
  );
  const found: { matterId: string; amount: number }[] = [];
  for await (const wf of client.workflow.list({ query })) {
    if (wf.workflowId === input.exclude) continue;
    const status = wf.typedSearchAttributes.get(MatterSearchAttributes.status);
    if (status !== undefined && status.startsWith('ended:') && status !== 'ended:completed') continue;
    const amount = wf.typedSearchAttributes.get(MatterSearchAttributes.amount);
    if (typeof amount === 'number') found.push({ matterId: wf.workflowId, amount });
  }
  // Visibility may list a workflow more than once across continue-as-new runs: one per matter.
  return [...new Map(found.map((f) => [f.matterId, f])).values()].sort((a, b) => a.matterId.localeCompare(b.matterId));
}
