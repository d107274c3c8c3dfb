import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { MATTER_WORKFLOW, stateQuery, type MatterView } from './matter';
import { OPINION_WORKFLOW, opinionQuery, type OpinionState } from './opinion';
import { MatterSearchAttributes, OpinionSearchAttributes } from './search-attributes';

/**
 * Reads matters and opinions of a village for the board and the reports: visibility finds them,
 * the `state` / `opinion` query reads each (the latest run of a workflow id). SQLite visibility has
 * no ORDER BY / LIMIT / LIKE, so sorting and paging happen here, in code.
 */

export interface Period {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
}

export interface BoardSource {
  /** Matters of the village that were alive at some point of the period (started before its end, not closed before its start). */
  matters(village: string, period?: Period): Promise<MatterView[]>;
  running(village: string): Promise<MatterView[]>;
  /** Fund approvals of the village that completed (were paid) at or after `since`. */
  paid(village: string, since: number): Promise<MatterView[]>;
  opinions(village: string, period?: Period): Promise<OpinionState[]>;
  runningOpinions(village: string): Promise<OpinionState[]>;
}

export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function periodClause(period: Period | undefined): string[] {
  if (!period) return [];
  return [
    `StartTime < ${quote(new Date(period.to).toISOString())}`,
    `(ExecutionStatus = 'Running' OR CloseTime >= ${quote(new Date(period.from).toISOString())})`,
  ];
}

/** How many queries run at once: enough to be quick, few enough not to crowd the worker. */
const CONCURRENCY = 8;

async function mapLimited<T, R>(items: T[], fn: (item: T) => Promise<R | undefined>): Promise<R[]> {
  const out: (R | undefined)[] = new Array<R | undefined>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, run));
  return out.filter((r): r is R => r !== undefined);
}

/** A workflow deleted (retention) between listing and reading it: not there, not an error. */
function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError;
}

/**
 * `strict`: a matter that cannot be read now fails the call (to be retried) instead of being left
 * out, for what is written once and for good (the monthly notice). Pages may leave it out.
 */
export function createBoardSource(client: Client, options: { strict?: boolean } = {}): BoardSource {
  // A matter whose worker does not answer must not hold up a page; the notice waits longer, then retries.
  const deadlineMs = options.strict ? 60_000 : 5_000;
  const read = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + deadlineMs, fn);
  const skip = (err: unknown): undefined => {
    if (options.strict && !isNotFound(err)) throw err;
    return undefined;
  };
  const ids = async (query: string): Promise<string[]> => {
    const seen = new Set<string>();
    // Continue-as-new leaves one visibility row per run: one id per matter.
    for await (const wf of client.workflow.list({ query })) seen.add(wf.workflowId);
    return [...seen].sort();
  };
  const views = async (query: string) =>
    mapLimited(await ids(query), async (id) => {
      try {
        return await read(() => client.workflow.getHandle(id).query(stateQuery));
      } catch (err) {
        return skip(err);
      }
    });
  const opinions = async (query: string) =>
    mapLimited(await ids(query), async (id) => {
      try {
        return await read(() => client.workflow.getHandle(id).query(opinionQuery));
      } catch (err) {
        return skip(err);
      }
    });
  const matterQuery = (village: string, extra: string[]) =>
    [
      `WorkflowType = ${quote(MATTER_WORKFLOW)}`,
      `${MatterSearchAttributes.village.name} = ${quote(village)}`,
      ...extra,
    ].join(' AND ');
  const opinionQueryText = (village: string, extra: string[]) =>
    [
      `WorkflowType = ${quote(OPINION_WORKFLOW)}`,
      `${OpinionSearchAttributes.village.name} = ${quote(village)}`,
      ...extra,
    ].join(' AND ');
  return {
    matters: (village, period) => views(matterQuery(village, periodClause(period))),
    running: (village) => views(matterQuery(village, [`ExecutionStatus = 'Running'`])),
    paid: (village, since) =>
      views(
        matterQuery(village, [
          `${MatterSearchAttributes.procedure.name} = 'fund-approval'`,
          `${MatterSearchAttributes.status.name} = 'ended:completed'`,
          `CloseTime >= ${quote(new Date(since).toISOString())}`,
        ]),
      ),
    opinions: (village, period) => opinions(opinionQueryText(village, periodClause(period))),
    runningOpinions: (village) => opinions(opinionQueryText(village, [`ExecutionStatus = 'Running'`])),
  };
}
