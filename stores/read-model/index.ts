import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { roleSatisfies } from '../../common/engine';
import { ROLES, type Role } from '../../common/graph';
import { stateQuery, type MatterResult, type MatterView } from '../../common/matter';
import { reportMatterOf, type MatterFacts, type ReportMatter } from '../../common/matter-facts';
import type { MatterSummary } from '../../common/matter-summary';
import { OPINION_MEMO, OPINION_WORKFLOW, opinionQuery, type OpinionState } from '../../common/opinion';
import { MatterSearchAttributes as A, OpinionSearchAttributes } from '../../common/search-attributes';
import { where } from '../../common/visibility-query';
import type { LegacyMatter, MatterProjection, MatterQuery, MatterRow, Page, Period } from './projection';

export type { MatterProjection, MatterQuery, MatterRow, Page, Period } from './projection';
export { openProjection, projectionFile } from './projection';

/**
 * The read path (issue 12). Matter lists answer from the projection (./projection.ts), the table
 * each matter's workflow writes of itself: one indexed read per request, never one workflow query
 * per matter. Only matters of older code that published no summary are asked, with one shared
 * deadline, and a list says which ones it could not read instead of leaving them out silently.
 * Opinions, fewer and short-lived, answer from their visibility rows and memo.
 */

export interface Summaries {
  summaries: MatterSummary[];
  /** matters of older code without a published summary that did not answer a query in time */
  unread: string[];
}

export interface Opinions {
  opinions: OpinionState[];
  /** opinions that could be read neither from visibility nor, in time, by a query */
  unread: string[];
}

export interface ReportMatters {
  matters: ReportMatter[];
  /** matters of older code without report facts whose full view could not be read in time */
  unread: string[];
}

const RUNNING = where.eq('ExecutionStatus', 'Running');
const OPINIONS = where.eq('WorkflowType', OPINION_WORKFLOW);
const alive = (period: Period) =>
  where.and(
    where.lt('StartTime', new Date(period.to)),
    where.or(RUNNING, where.gte('CloseTime', new Date(period.from))),
  );

/** The roles a user's roles satisfy: a chair acts where a supervisor may, a secretary for the committee. */
export function rolesServed(held: readonly Role[]): Role[] {
  return ROLES.filter((required) => held.some((h) => roleSatisfies(h, required)));
}

function opinionOf(info: WorkflowExecutionInfo): OpinionState | undefined {
  const state = info.memo?.[OPINION_MEMO];
  return typeof state === 'object' && state !== null ? (state as OpinionState) : undefined;
}

function reportMatterOfSummary(summary: MatterSummary & { facts: MatterFacts }): ReportMatter {
  return {
    matterId: summary.matterId,
    procedure: summary.procedure,
    village: summary.village,
    title: summary.title,
    startedAt: summary.startedAt,
    status: summary.status,
    ...(summary.outcome !== undefined ? { outcome: summary.outcome } : {}),
    ...(summary.amount !== undefined ? { amount: summary.amount } : {}),
    objections: summary.objections,
    facts: summary.facts,
  };
}

const hasFacts = (s: MatterSummary | undefined): s is MatterSummary & { facts: MatterFacts } => s?.facts !== undefined;

/** How long the queries of matters without a summary may take, together. */
const LEGACY_DEADLINE_MS = 5000;
/** Visibility page size when opinions are read whole. */
const PAGE = 1000;

/** Every visibility row of a query, one per workflow id (a run listed twice around continue-as-new counts once). */
export async function visibilityRows(client: Client, query: string): Promise<WorkflowExecutionInfo[]> {
  const { namespace, loadedDataConverter } = client.options;
  const rows = new Map<string, WorkflowExecutionInfo>();
  let token: Uint8Array | undefined;
  do {
    const response = await client.workflowService.listWorkflowExecutions({
      namespace,
      query,
      pageSize: PAGE,
      ...(token ? { nextPageToken: token } : {}),
    });
    for (const raw of response.executions ?? []) {
      const info = await executionInfoFromRaw(raw, loadedDataConverter, raw, namespace);
      if (!rows.has(info.workflowId)) rows.set(info.workflowId, info);
    }
    token = response.nextPageToken && response.nextPageToken.length > 0 ? response.nextPageToken : undefined;
  } while (token);
  return [...rows.values()];
}

export function createReadModel(client: Client, projection: MatterProjection) {
  /** The summaries of the rows; a row without one is read by a query, all of them within one deadline. */
  async function summaries(rows: MatterRow[]): Promise<Summaries> {
    const deadline = Date.now() + LEGACY_DEADLINE_MS;
    const unread: string[] = [];
    const read = await Promise.all(
      rows.map(async (row) => {
        if (row.summary) return row.summary;
        const view = await client.connection
          .withDeadline(deadline, () => client.workflow.getHandle(row.id).query(stateQuery))
          .catch(() => undefined);
        if (!view) unread.push(row.id);
        return view;
      }),
    );
    return { summaries: read.filter((s): s is MatterSummary => s !== undefined), unread: unread.sort() };
  }

  /**
   * One matter in full. A running one answers its `state` query; a closed one is its result (the
   * final view, written when it ended), so it is not replayed; one that ended before the read model
   * existed is queried.
   */
  async function view(id: string): Promise<MatterView | undefined> {
    const handle = client.workflow.getHandle(id);
    try {
      const described = await handle.describe();
      if (described.status.name !== 'RUNNING') {
        // a matter terminated by an operator has no result: it is queried like an old one
        const result = (await handle.result().catch(() => undefined)) as MatterResult | undefined;
        if (result?.view) return result.view;
      }
      return await handle.query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /**
   * Up to `strict ? all : deadline` of `items` read one by one (`read`), a few at a time: only
   * matters and opinions that published no read model (older code) come here.
   */
  async function legacy<I extends { id: string }, T>(
    items: I[],
    read: (item: I) => Promise<T | undefined>,
    strict: boolean,
  ): Promise<{ read: T[]; unread: string[] }> {
    const deadline = Date.now() + (strict ? 60_000 : LEGACY_DEADLINE_MS);
    const out: T[] = [];
    const unread: string[] = [];
    // A few at a time: enough to be quick, few enough not to crowd the server.
    for (let i = 0; i < items.length; i += 8) {
      await Promise.all(
        items.slice(i, i + 8).map(async (item) => {
          const found = await client.connection
            .withDeadline(deadline, () => read(item))
            .catch((err: unknown) => {
              if (strict && !(err instanceof WorkflowNotFoundError)) throw err;
              return undefined;
            });
          if (found === undefined) unread.push(item.id);
          else out.push(found);
        }),
      );
    }
    return { read: out, unread: unread.sort() };
  }

  /**
   * What the reports need of many matters (yearly report, monthly notice): one projection read,
   * each row's summary with its facts; only matters of older code without them are read in full.
   * `strict` (the notice, written once): a matter that cannot be read fails the whole (one that is
   * gone, deleted after the retention period, is left out).
   */
  async function reportMatters(query: MatterQuery, strict: boolean): Promise<ReportMatters> {
    const rows = projection.all(query);
    const matters = rows.flatMap((row) => (hasFacts(row.summary) ? [reportMatterOfSummary(row.summary)] : []));
    const { read, unread } = await legacy(
      rows.filter((row) => !hasFacts(row.summary)),
      async (row) => {
        const full = await view(row.id);
        return full ? reportMatterOf(full) : undefined;
      },
      strict,
    );
    return { matters: [...matters, ...read].sort((a, b) => a.matterId.localeCompare(b.matterId)), unread };
  }

  /** What a matter publishes of itself (its summary), read from the projection; one of older code is read in full. */
  async function summary(
    id: string,
  ): Promise<Pick<MatterSummary, 'procedure' | 'village' | 'status' | 'outcome'> | undefined> {
    return projection.get(id)?.summary ?? view(id);
  }

  /**
   * A matter's village, from the projection; a matter that has not written its row yet (the moment
   * after its start) is described (its search attributes, no worker involved).
   */
  async function villageOf(id: string): Promise<string | undefined> {
    const projected = projection.get(id)?.village;
    if (projected !== undefined) return projected;
    try {
      const described = await client.workflow.getHandle(id).describe();
      return described.typedSearchAttributes.get(A.village) ?? (await view(id))?.village;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** Opinions from their published state; older ones without it from their result, or a query. */
  async function opinions(query: string, strict: boolean): Promise<Opinions> {
    const rows = await visibilityRows(client, query);
    const published = rows.flatMap((row) => {
      const state = opinionOf(row);
      return state ? [state] : [];
    });
    const { read, unread } = await legacy(
      rows.filter((row) => opinionOf(row) === undefined).map((info) => ({ id: info.workflowId, info })),
      async ({ id, info }) => {
        const handle = client.workflow.getHandle(id, info.runId);
        if (info.status.name === 'COMPLETED') return (await handle.result()) as OpinionState;
        return handle.query(opinionQuery);
      },
      strict,
    );
    return { opinions: [...published, ...read], unread };
  }
  const opinionsOf = (village: string, ...extra: string[]) =>
    where.and(OPINIONS, where.eq(OpinionSearchAttributes.village.name, village), ...extra);

  return {
    /** Matters, one page: running first (newest first), then ended (latest ended first). */
    page: (query: MatterQuery, pageSize: number, cursor?: string): Promise<Page<MatterRow>> =>
      Promise.resolve().then(() => projection.page(query, pageSize, cursor)),
    /** Every matter the query selects, with its summary. */
    summaries: (query: MatterQuery) => summaries(projection.all(query)),
    /**
     * A matter just started: listed at once, and read from its workflow, until its first task writes
     * its own row (a matter that wrote one keeps it).
     */
    started: (matter: LegacyMatter) => {
      try {
        projection.adopt(matter);
      } catch {
        // The matter is started: its first task writes its row a moment later. A start never fails for this.
      }
    },
    view,
    summary,
    villageOf,
    /** Matters of the village alive at some point of the period, as the reports read them. */
    reportMatters: (village: string, period: Period, strict = false) =>
      reportMatters({ villages: [village], alive: period }, strict),
    /** Fund approvals of the village that completed (were paid) at or after `since`. */
    paid: (village: string, since: number, strict = false) =>
      reportMatters(
        { villages: [village], procedure: 'fund-approval', status: 'ended', outcome: 'completed', closedSince: since },
        strict,
      ),
    ids: (query: MatterQuery) => Promise.resolve().then(() => projection.ids(query)),
    opinions: (village: string, period?: Period, strict = false) =>
      opinions(opinionsOf(village, ...(period ? [alive(period)] : [])), strict),
    runningOpinions: (village: string) => opinions(opinionsOf(village, RUNNING), false),
  };
}

export type ReadModel = ReturnType<typeof createReadModel>;
