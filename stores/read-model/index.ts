import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { roleSatisfies } from '../../common/engine';
import { ROLES, type Role } from '../../common/graph';
import { MATTER_WORKFLOW, stateQuery, type MatterResult, type MatterView } from '../../common/matter';
import { reportMatterOf, type MatterFacts, type ReportMatter } from '../../common/matter-facts';
import { SUMMARY_MEMO, SUMMARY_VERSION, type MatterSummary } from '../../common/matter-summary';
import { OPINION_MEMO, OPINION_WORKFLOW, opinionQuery, type OpinionState } from '../../common/opinion';
import { MatterSearchAttributes as A, OpinionSearchAttributes } from '../../common/search-attributes';
import { CodedError, ErrorCode } from '../../common/errors';
import { where } from '../../common/visibility-query';

/**
 * The read path (issue 12). Lists answer from the visibility rows the workflows publish (search
 * attributes + the `summary` memo, common/matter-summary.ts): one indexed query per request, never
 * one workflow query per matter. Only matters that have not published a summary yet (started by
 * older code and idle since) are asked, with one shared deadline, and a list says which ones it
 * could not read instead of leaving them out silently.
 */

export interface Period {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
}

export interface MatterRow {
  id: string;
  info: WorkflowExecutionInfo;
  /** absent for a matter that has not published one yet */
  summary?: MatterSummary;
}

export interface Page<T> {
  items: T[];
  /** opaque; absent on the last page */
  nextCursor?: string;
}

export interface Summaries {
  summaries: MatterSummary[];
  /** matters that could be read neither from visibility nor, in time, by a query */
  unread: string[];
}

export interface Opinions {
  opinions: OpinionState[];
  /** opinions that could be read neither from visibility nor, in time, by a query */
  unread: string[];
}

export interface ReportMatters {
  matters: ReportMatter[];
  /** matters that could be read neither from visibility nor, in time, from their full view */
  unread: string[];
}

const RUNNING = where.eq('ExecutionStatus', 'Running');
/** A continued-as-new run is the same matter; its newest run stands for it. */
const LATEST_RUN = where.ne('ExecutionStatus', 'ContinuedAsNew');
const MATTERS = where.eq('WorkflowType', MATTER_WORKFLOW);
const OPINIONS = where.eq('WorkflowType', OPINION_WORKFLOW);

export const matterFilters = {
  village: (village: string) => where.eq(A.village.name, village),
  villages: (villages: readonly string[]) => where.in(A.village.name, villages),
  procedure: (procedure: string) => where.eq(A.procedure.name, procedure),
  status: (status: 'running' | 'suspended' | 'ended') =>
    status === 'ended'
      ? where.and(where.ne('ExecutionStatus', 'Running'), LATEST_RUN)
      : where.and(where.eq(A.status.name, status), RUNNING),
  running: () => where.and(RUNNING, where.in(A.status.name, ['running', 'suspended'])),
  /** waiting on one of `roles`, or not saying (a matter that has not published the read model yet) */
  waitingOn: (roles: readonly Role[]) => where.or(where.in(A.waitingOn.name, roles), where.isNull(A.waitingOn.name)),
  linksTo: (id: string) => where.eq(A.links.name, id),
  alive: (period: Period) =>
    where.and(
      where.lt('StartTime', new Date(period.to)),
      where.or(RUNNING, where.gte('CloseTime', new Date(period.from))),
    ),
};

/** The roles a user's roles satisfy: a chair acts where a supervisor may, a secretary for the committee. */
export function rolesServed(held: readonly Role[]): Role[] {
  return ROLES.filter((required) => held.some((h) => roleSatisfies(h, required)));
}

function summaryOf(info: Pick<WorkflowExecutionInfo, 'memo'>): MatterSummary | undefined {
  const summary = info.memo?.[SUMMARY_MEMO];
  if (typeof summary !== 'object' || summary === null) return undefined;
  return (summary as { v?: unknown }).v === SUMMARY_VERSION ? (summary as MatterSummary) : undefined;
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

/**
 * A page cursor: the store's page token with a check bound to the query, so that a cursor of
 * another list, or a made-up one, is refused with 400 here (the server answers a bad token with
 * an opaque UNKNOWN).
 */
function cursorOf(query: string, token: Uint8Array): string {
  return `${Buffer.from(token).toString('base64url')}.${check(query, token)}`;
}

function check(query: string, token: Uint8Array): string {
  return createHash('sha256').update(query).update(token).digest('base64url').slice(0, 16);
}

function tokenOf(query: string, cursor: string): Uint8Array {
  const [encoded = '', sum] = cursor.split('.');
  const token = Buffer.from(encoded, 'base64url');
  if (token.length === 0 || sum !== check(query, token)) {
    throw new CodedError(ErrorCode.InvalidRequest, 'Invalid cursor / 翻页标记无效', [
      { field: 'query.cursor', message: 'not the nextCursor of an earlier page of this list' },
    ]);
  }
  return token;
}

/** How long the queries of matters without a summary may take, together. */
const LEGACY_DEADLINE_MS = 5000;
/** Visibility page size when a list is read whole. */
const PAGE = 1000;

export function createReadModel(client: Client) {
  async function page(query: string, pageSize: number, cursor?: string): Promise<Page<MatterRow>> {
    const { namespace, loadedDataConverter } = client.options;
    const token = cursor === undefined ? undefined : tokenOf(query, cursor);
    const response = await client.workflowService.listWorkflowExecutions({
      namespace,
      query,
      pageSize,
      ...(token ? { nextPageToken: token } : {}),
    });
    const items = await Promise.all(
      (response.executions ?? []).map(async (raw) => {
        const info = await executionInfoFromRaw(raw, loadedDataConverter, raw, namespace);
        const summary = summaryOf(info);
        return { id: info.workflowId, info, ...(summary ? { summary } : {}) };
      }),
    );
    const next = response.nextPageToken;
    return { items, ...(next && next.length > 0 ? { nextCursor: cursorOf(query, next) } : {}) };
  }

  /** Every row of a query, one per workflow id (a run listed twice around continue-as-new counts once). */
  async function all(query: string): Promise<MatterRow[]> {
    const rows = new Map<string, MatterRow>();
    let cursor: string | undefined;
    do {
      const next = await page(query, PAGE, cursor);
      for (const row of next.items) if (!rows.has(row.id)) rows.set(row.id, row);
      cursor = next.nextCursor;
    } while (cursor);
    return [...rows.values()];
  }

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
   * Up to `strict ? all : deadline` of `rows` read one by one (`read`), a few at a time: only rows
   * of matters and opinions that published no read model yet (older code) come here.
   */
  async function legacy<T>(
    rows: MatterRow[],
    read: (row: MatterRow) => Promise<T | undefined>,
    strict: boolean,
  ): Promise<{ read: T[]; unread: string[] }> {
    const deadline = Date.now() + (strict ? 60_000 : LEGACY_DEADLINE_MS);
    const out: T[] = [];
    const unread: string[] = [];
    // A few at a time: enough to be quick, few enough not to crowd the server.
    for (let i = 0; i < rows.length; i += 8) {
      await Promise.all(
        rows.slice(i, i + 8).map(async (row) => {
          const found = await client.connection
            .withDeadline(deadline, () => read(row))
            .catch((err: unknown) => {
              if (strict && !(err instanceof WorkflowNotFoundError)) throw err;
              return undefined;
            });
          if (found === undefined) unread.push(row.id);
          else out.push(found);
        }),
      );
    }
    return { read: out, unread: unread.sort() };
  }

  /** A closed row's result (the final view, no replay), or a running one's query. */
  async function legacyView(row: MatterRow): Promise<MatterView | undefined> {
    const handle = client.workflow.getHandle(row.id, row.info.runId);
    if (row.info.status.name !== 'RUNNING') {
      const result = (await handle.result().catch(() => undefined)) as MatterResult | undefined;
      if (result?.view) return result.view;
    }
    return handle.query(stateQuery);
  }

  /**
   * What the reports need of many matters (yearly report, monthly notice): one visibility query,
   * each row's summary with its facts; only matters of older code without them are read in full.
   * `strict` (the notice, written once): a matter that cannot be read fails the whole (one that is
   * gone, deleted after the retention period, is left out).
   */
  async function reportMatters(query: string, strict: boolean): Promise<ReportMatters> {
    const rows = await all(query);
    const matters = rows.flatMap((row) => (hasFacts(row.summary) ? [reportMatterOfSummary(row.summary)] : []));
    const { read, unread } = await legacy(
      rows.filter((row) => !hasFacts(row.summary)),
      async (row) => {
        const view = await legacyView(row);
        return view ? reportMatterOf(view) : undefined;
      },
      strict,
    );
    return { matters: [...matters, ...read].sort((a, b) => a.matterId.localeCompare(b.matterId)), unread };
  }

  /**
   * What a matter publishes of itself (its summary), read from its visibility record without a
   * worker; a matter of older code that published none is read in full.
   */
  async function summary(
    id: string,
  ): Promise<Pick<MatterSummary, 'procedure' | 'village' | 'status' | 'outcome'> | undefined> {
    try {
      const published = summaryOf(await client.workflow.getHandle(id).describe());
      if (published) return published;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
    return view(id);
  }

  const villageCache = new Map<string, string>();
  /**
   * A matter's village never changes: read once from its search attributes (describe, no worker
   * involved), then kept. A run that has not published them yet (the moment after continue-as-new)
   * is asked instead.
   */
  async function villageOf(id: string): Promise<string | undefined> {
    const known = villageCache.get(id);
    if (known !== undefined) return known;
    let village: string | undefined;
    try {
      const described = await client.workflow.getHandle(id).describe();
      village = described.typedSearchAttributes.get(A.village) ?? (await view(id))?.village;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
    if (village === undefined) return undefined;
    if (villageCache.size >= 100_000) villageCache.clear();
    villageCache.set(id, village);
    return village;
  }

  /** Opinions from their published state; older ones without it from their result, or a query. */
  async function opinions(query: string, strict: boolean): Promise<Opinions> {
    const rows = await all(query);
    const published = rows.flatMap((row) => {
      const state = opinionOf(row.info);
      return state ? [state] : [];
    });
    const { read, unread } = await legacy(
      rows.filter((row) => opinionOf(row.info) === undefined),
      async (row) => {
        const handle = client.workflow.getHandle(row.id, row.info.runId);
        if (row.info.status.name === 'COMPLETED') return (await handle.result()) as OpinionState;
        return handle.query(opinionQuery);
      },
      strict,
    );
    return { opinions: [...published, ...read], unread };
  }
  const opinionsOf = (village: string, ...extra: string[]) =>
    where.and(OPINIONS, where.eq(OpinionSearchAttributes.village.name, village), ...extra);

  return {
    /** Matters, one page: running first (newest first), then closed (latest closed first), the store's order. */
    page: (filters: string[], pageSize: number, cursor?: string) =>
      page(where.and(MATTERS, LATEST_RUN, ...filters), pageSize, cursor),
    /** Every matter the filters select, with its summary. */
    summaries: async (filters: string[]) => summaries(await all(where.and(MATTERS, LATEST_RUN, ...filters))),
    view,
    summary,
    villageOf,
    /** Matters of the village alive at some point of the period, as the reports read them. */
    reportMatters: (village: string, period: Period, strict = false) =>
      reportMatters(
        where.and(MATTERS, LATEST_RUN, matterFilters.village(village), matterFilters.alive(period)),
        strict,
      ),
    /** Fund approvals of the village that completed (were paid) at or after `since`. */
    paid: (village: string, since: number, strict = false) =>
      reportMatters(
        where.and(
          MATTERS,
          matterFilters.village(village),
          matterFilters.procedure('fund-approval'),
          where.eq(A.status.name, 'ended:completed'),
          where.gte('CloseTime', new Date(since)),
        ),
        strict,
      ),
    ids: async (filters: string[]) => (await all(where.and(MATTERS, ...filters))).map((r) => r.id).sort(),
    opinions: (village: string, period?: Period, strict = false) =>
      opinions(opinionsOf(village, ...(period ? [matterFilters.alive(period)] : [])), strict),
    runningOpinions: (village: string) => opinions(opinionsOf(village, RUNNING), false),
  };
}

export type ReadModel = ReturnType<typeof createReadModel>;
