import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Role } from '../../common/graph';
import { SUMMARY_VERSION, type MatterSummary, type ProjectedMatter } from '../../common/matter-summary';
import { CodedError, ErrorCode } from '../../common/errors';

export type { ProjectedMatter } from '../../common/matter-summary';

/**
 * The matter projection (issue 12): one row per matter in a SQLite file under DATA_DIR, written by
 * the matter itself whenever its summary changes (a sink, run by the worker), read by the API.
 *
 * Why a table of our own and not Temporal visibility: the embedded server's SQLite visibility
 * answers one list query at a time at about 0.6 ms per row, so at 20,000 open matters eight
 * people opening their task lists waited seconds (README, "District scale"). Here each list is one
 * indexed read in the API's own process, sorted and paged by SQL, and it is current the moment an
 * action returns: the worker writes the row before the matter's answer leaves it.
 */

/** Where the projection lives: one file under DATA_DIR, shared by the worker (writer) and the API (reader). */
export function projectionFile(dataDir: string): string {
  return path.resolve(dataDir, 'read-model.sqlite');
}

/** A matter of older code, known only from its visibility row (no summary published). */
export interface LegacyMatter {
  id: string;
  village: string;
  procedure: string;
  status: MatterSummary['status'];
  outcome?: string;
  title?: string;
  amount?: number;
  activeSteps: string[];
  links: string[];
  startedAt: number;
  closedAt?: number;
}

/** What a list shows of a matter, whether its summary is published or not. */
export interface MatterRow {
  id: string;
  village: string;
  procedure: string;
  status: MatterSummary['status'];
  outcome?: string;
  title: string;
  amount?: number;
  activeSteps: string[];
  startedAt: string;
  closedAt?: string;
  /** absent for a matter of older code that has not published one: read it from the workflow */
  summary?: MatterSummary;
}

export interface Period {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
}

/** Which matters a list wants; every field narrows. */
export interface MatterQuery {
  villages?: readonly string[];
  procedure?: string;
  /** `open`: running or suspended */
  status?: MatterSummary['status'] | 'open';
  outcome?: string;
  /** waiting on one of these roles, or not saying (a matter of older code) */
  waitingOn?: readonly Role[];
  linksTo?: string;
  /** alive at some point of the period: started before its end, not ended before its start */
  alive?: Period;
  /** ended at or after (epoch ms) */
  closedSince?: number;
}

export interface Page<T> {
  items: T[];
  /** opaque; absent on the last page */
  nextCursor?: string;
}

/** Stands for "who may act is not known" in the waiting table (a matter of older code). */
const UNKNOWN_ROLE = '?';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS matters (
  id TEXT PRIMARY KEY,
  village TEXT NOT NULL,
  procedure TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  title TEXT NOT NULL,
  amount REAL,
  active_steps TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  closed_at INTEGER,
  ended INTEGER NOT NULL,
  sort_at INTEGER NOT NULL,
  summary TEXT
);
CREATE INDEX IF NOT EXISTS matters_order ON matters (ended, sort_at DESC, id);
CREATE INDEX IF NOT EXISTS matters_village ON matters (village, ended, sort_at DESC, id);
CREATE TABLE IF NOT EXISTS matter_waiting (
  role TEXT NOT NULL,
  village TEXT NOT NULL,
  matter_id TEXT NOT NULL,
  PRIMARY KEY (role, village, matter_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS matter_waiting_matter ON matter_waiting (matter_id);
CREATE TABLE IF NOT EXISTS matter_links (
  link TEXT NOT NULL,
  matter_id TEXT NOT NULL,
  PRIMARY KEY (link, matter_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS matter_links_matter ON matter_links (matter_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface Stored {
  id: string;
  village: string;
  procedure: string;
  status: string;
  outcome: string | null;
  title: string;
  amount: number | null;
  active_steps: string;
  started_at: number;
  closed_at: number | null;
  ended: number;
  sort_at: number;
  summary: string | null;
}

function rowOf(stored: Stored): MatterRow {
  const summary = stored.summary === null ? undefined : (JSON.parse(stored.summary) as MatterSummary);
  return {
    id: stored.id,
    village: stored.village,
    procedure: stored.procedure,
    status: stored.status as MatterRow['status'],
    ...(stored.outcome !== null ? { outcome: stored.outcome } : {}),
    title: stored.title,
    ...(stored.amount !== null ? { amount: stored.amount } : {}),
    activeSteps: JSON.parse(stored.active_steps) as string[],
    startedAt: new Date(stored.started_at).toISOString(),
    ...(stored.closed_at !== null ? { closedAt: new Date(stored.closed_at).toISOString() } : {}),
    ...(summary?.v === SUMMARY_VERSION ? { summary } : {}),
  };
}

/** A page cursor: the last row's place in the order, with a check bound to the query. */
interface Place {
  ended: number;
  sortAt: number;
  id: string;
}

function check(queryKey: string, place: string): string {
  return createHash('sha256').update(queryKey).update('\n').update(place).digest('base64url').slice(0, 16);
}

function cursorOf(queryKey: string, row: Pick<Stored, 'ended' | 'sort_at' | 'id'>): string {
  const place = Buffer.from(JSON.stringify([row.ended, row.sort_at, row.id])).toString('base64url');
  return `${place}.${check(queryKey, place)}`;
}

function placeOf(queryKey: string, cursor: string): Place {
  const [place = '', sum] = cursor.split('.');
  const invalid = () =>
    new CodedError(ErrorCode.InvalidRequest, 'Invalid cursor / 翻页标记无效', [
      { field: 'query.cursor', message: 'not the nextCursor of an earlier page of this list' },
    ]);
  if (place === '' || sum !== check(queryKey, place)) throw invalid();
  const parsed: unknown = JSON.parse(Buffer.from(place, 'base64url').toString('utf8'));
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid();
  const [ended, sortAt, id] = parsed as unknown[];
  if (typeof ended !== 'number' || typeof sortAt !== 'number' || typeof id !== 'string') throw invalid();
  return { ended, sortAt, id };
}

/** The WHERE clause of a query, with its parameters. */
function whereOf(query: MatterQuery): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const list = (values: readonly (string | number)[]) => {
    params.push(...values);
    return values.map(() => '?').join(', ');
  };
  if (query.villages) clauses.push(`m.village IN (${list(query.villages)})`);
  if (query.procedure !== undefined) clauses.push(`m.procedure = ${list([query.procedure])}`);
  if (query.status === 'open') clauses.push('m.ended = 0');
  else if (query.status !== undefined) clauses.push(`m.status = ${list([query.status])}`);
  if (query.outcome !== undefined) clauses.push(`m.outcome = ${list([query.outcome])}`);
  if (query.waitingOn) {
    const roles = list([...query.waitingOn, UNKNOWN_ROLE]);
    const villages = query.villages ? ` AND w.village IN (${list(query.villages)})` : '';
    clauses.push(`m.id IN (SELECT w.matter_id FROM matter_waiting w WHERE w.role IN (${roles})${villages})`);
  }
  if (query.linksTo !== undefined)
    clauses.push(`m.id IN (SELECT l.matter_id FROM matter_links l WHERE l.link = ${list([query.linksTo])})`);
  if (query.alive) {
    clauses.push(`m.started_at < ${list([query.alive.to])}`);
    clauses.push(`(m.ended = 0 OR m.closed_at >= ${list([query.alive.from])})`);
  }
  if (query.closedSince !== undefined) clauses.push(`m.closed_at >= ${list([query.closedSince])}`);
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

/** A key of the query for cursors: the same filters give the same key, whatever their order. */
function keyOf(query: MatterQuery): string {
  return JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));
}

const ORDER = 'ORDER BY m.ended, m.sort_at DESC, m.id';

export function openProjection(file: string) {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  // Readers (the API) and the writer (the worker) are separate processes on one file, and start together:
  // wait for a lock first, then switch to WAL (which itself takes one).
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);

  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const upsert = db.prepare(`
    INSERT INTO matters (id, village, procedure, status, outcome, title, amount, active_steps, started_at, closed_at, ended, sort_at, summary)
    VALUES (@id, @village, @procedure, @status, @outcome, @title, @amount, @active_steps, @started_at, @closed_at, @ended, @sort_at, @summary)
    ON CONFLICT (id) DO UPDATE SET village = excluded.village, procedure = excluded.procedure, status = excluded.status,
      outcome = excluded.outcome, title = excluded.title, amount = excluded.amount, active_steps = excluded.active_steps,
      started_at = excluded.started_at, closed_at = excluded.closed_at, ended = excluded.ended, sort_at = excluded.sort_at,
      summary = excluded.summary`);
  const exists = db.prepare('SELECT 1 FROM matters WHERE id = ?');
  const clearWaiting = db.prepare('DELETE FROM matter_waiting WHERE matter_id = ?');
  const addWaiting = db.prepare('INSERT OR IGNORE INTO matter_waiting (role, village, matter_id) VALUES (?, ?, ?)');
  const clearLinks = db.prepare('DELETE FROM matter_links WHERE matter_id = ?');
  const addLink = db.prepare('INSERT OR IGNORE INTO matter_links (link, matter_id) VALUES (?, ?)');
  const byId = db.prepare('SELECT * FROM matters WHERE id = ?');
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );

  const write = db.transaction((row: Stored, waiting: readonly string[], links: readonly string[]) => {
    upsert.run(row);
    clearWaiting.run(row.id);
    for (const role of waiting) addWaiting.run(role, row.village, row.id);
    clearLinks.run(row.id);
    for (const link of links) addLink.run(link, row.id);
  });

  function storedOf(m: LegacyMatter, summary: MatterSummary | undefined): Stored {
    const ended = m.status === 'ended' ? 1 : 0;
    const closedAt = ended ? (m.closedAt ?? m.startedAt) : null;
    return {
      id: m.id,
      village: m.village,
      procedure: m.procedure,
      status: m.status,
      outcome: m.outcome ?? null,
      title: m.title ?? '',
      amount: m.amount ?? null,
      active_steps: JSON.stringify(m.activeSteps),
      started_at: m.startedAt,
      closed_at: closedAt,
      ended,
      sort_at: closedAt ?? m.startedAt,
      summary: summary ? JSON.stringify(summary) : null,
    };
  }

  function fromSummary({ summary, links, closedAt }: ProjectedMatter): Stored {
    return storedOf(
      {
        id: summary.matterId,
        village: summary.village,
        procedure: summary.procedure.id,
        status: summary.status,
        ...(summary.outcome !== undefined ? { outcome: summary.outcome } : {}),
        title: summary.title,
        ...(summary.amount !== undefined ? { amount: summary.amount } : {}),
        activeSteps: summary.activeSteps.map((s) => s.id),
        links: [...links],
        startedAt: Date.parse(summary.startedAt),
        ...(closedAt !== undefined ? { closedAt } : {}),
      },
      summary,
    );
  }

  function select(query: MatterQuery, options: { after?: Place; limit?: number; columns?: string } = {}): Stored[] {
    const where = whereOf(query);
    const params: (string | number)[] = [...where.params];
    let sql = `SELECT ${options.columns ?? 'm.*'} FROM matters m WHERE ${where.sql}`;
    if (options.after) {
      const { ended, sortAt, id } = options.after;
      sql += ' AND (m.ended > ? OR (m.ended = ? AND (m.sort_at < ? OR (m.sort_at = ? AND m.id > ?))))';
      params.push(ended, ended, sortAt, sortAt, id);
    }
    sql += ` ${ORDER}`;
    if (options.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(options.limit);
    }
    return prepared(sql).all(...params) as Stored[];
  }

  return {
    /** What a matter's workflow writes of itself (through the `projectMatter` local activity). */
    put(matter: ProjectedMatter): void {
      const row = fromSummary(matter);
      write(row, row.ended ? [] : matter.waitingOn, matter.links);
    },
    /**
     * A row learnt from elsewhere (visibility, once, for matters written before the projection):
     * kept only if the matter has not written its own row meanwhile.
     */
    adopt(matter: ProjectedMatter | LegacyMatter): boolean {
      const row = 'summary' in matter ? fromSummary(matter) : storedOf(matter, undefined);
      // IMMEDIATE: the write lock first (waiting up to the busy timeout). A deferred transaction that
      // reads, then writes, fails at once with SQLITE_BUSY when another process wrote in between.
      return db
        .transaction(() => {
          if (exists.get(row.id)) return false;
          const waiting = row.ended ? [] : 'summary' in matter ? matter.waitingOn : [UNKNOWN_ROLE];
          write(row, waiting, matter.links);
          return true;
        })
        .immediate();
    },
    get(id: string): MatterRow | undefined {
      const stored = byId.get(id) as Stored | undefined;
      return stored && rowOf(stored);
    },
    /** Every matter the query selects, in list order: running first (newest first), then ended (latest first). */
    all(query: MatterQuery): MatterRow[] {
      return select(query).map(rowOf);
    },
    ids(query: MatterQuery): string[] {
      return select(query, { columns: 'm.id' })
        .map((s) => s.id)
        .sort();
    },
    /** One page in list order; the cursor carries the last row's place, so pages never skip or repeat a row. */
    page(query: MatterQuery, limit: number, cursor?: string): Page<MatterRow> {
      const key = keyOf(query);
      const after = cursor === undefined ? undefined : placeOf(key, cursor);
      // one row more than asked: whether there is a next page
      const stored = select(query, { ...(after ? { after } : {}), limit: limit + 1 });
      const items = stored.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map(rowOf),
        ...(stored.length > limit && last ? { nextCursor: cursorOf(key, last) } : {}),
      };
    },
    count(query: MatterQuery = {}): number {
      const where = whereOf(query);
      return (prepared(`SELECT count(*) AS n FROM matters m WHERE ${where.sql}`).get(...where.params) as { n: number })
        .n;
    },
    meta(key: string): string | undefined {
      return (getMeta.get(key) as { value: string } | undefined)?.value;
    },
    setMeta(key: string, value: string): void {
      setMeta.run(key, value);
    },
    close(): void {
      db.close();
    },
  };
}

export type MatterProjection = ReturnType<typeof openProjection>;
