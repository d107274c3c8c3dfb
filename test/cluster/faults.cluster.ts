import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../scripts/ports';
import type { ClusterState } from '../../scripts/cluster';

/**
 * `npm run test:cluster`: the production shape (`npm run cluster`: PostgreSQL, a Temporal server built
 * from the Go module, 2 workers, 2 APIs behind HAProxy) under load from clients that start matters and
 * act on them through the balancer, each POST with an Idempotency-Key and sent again with the same key
 * until it is answered. Faults: SIGKILL of a worker, an API, the Temporal server and PostgreSQL (the
 * cluster's supervisor starts each again), SIGSTOP of one worker and then of both. At the end every
 * acknowledged start and action is looked up: none lost, none applied twice. A table goes to stdout.
 */

const CLUSTER = path.resolve(__dirname, '..', '..', 'dist', 'scripts', 'cluster.js');
/** An API request to Temporal has this deadline (TEMPORAL_CALL_TIMEOUT_MS's default) plus the way there. */
const ANSWER_WITHIN_MS = 15_000;
/** Clients acting at once (each waits for its answer before its next request). */
const CLIENTS = Number(process.env.CLUSTER_TEST_CLIENTS ?? 8);
const SECRETARY = 'xinglong-secretary';
const DIRECTOR = 'xinglong-director';
const SUPERVISOR = 'xinglong-supervisor';

interface Ack {
  step: string;
  action: string;
  key: string;
}
interface MatterRecord {
  id: string;
  key: string;
  acks: Ack[];
}
interface FaultRow {
  fault: string;
  injected: number;
  readyAfterMs: number[];
  /** starts and actions acknowledged from the fault until ready again */
  acksDuring: number;
  note: string;
}

let dir: string;
let cluster: ChildProcess;
let base: string;
let clusterOut = '';
const tokens: Record<string, string> = {};
const matters: MatterRecord[] = [];
const statuses = new Map<number, number>();
const faults: FaultRow[] = [];
let sameKeyResends = 0;
let networkRetries = 0;
let unclear503 = 0;
let loadRunning = false;
let load: Promise<void>[] = [];

function state(): ClusterState {
  return JSON.parse(readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as ClusterState;
}

function pidOf(name: string): number {
  const pid = state().children[name]?.pid;
  if (pid === undefined) throw new Error(`${name} has no pid in cluster.json`);
  return pid;
}

async function waitUntil(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      if (await probe()) return Date.now() - started;
    } catch {
      // not yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

async function readyz(): Promise<number> {
  return (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) })).status;
}

const isReady = async () => (await readyz()) === 200;

/** A new pid for `name` in cluster.json (the supervisor started it again). */
async function restarted(name: string, old: number): Promise<void> {
  await waitUntil(`${name} to be started again`, 60_000, async () => {
    const pid = state().children[name]?.pid;
    return pid !== undefined && pid !== old;
  });
}

/**
 * A client's POST: sent until answered with something other than "try again" (no answer, 502/503/504,
 * 429), always with the same Idempotency-Key, as a client of the API is told to do.
 */
async function post(user: string, url: string, body: unknown, key: string): Promise<{ status: number; json: unknown }> {
  const deadline = Date.now() + 180_000;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) sameKeyResends += 1;
    try {
      const res = await fetch(`${base}${url}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[user]}`,
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const json: unknown = await res.json().catch(() => undefined);
      // A 503 of ours names its cause; one without (e.g. the balancer's "no server") is not clear.
      if (res.status === 503 && !(json as { error?: { code?: string } } | undefined)?.error?.code) unclear503 += 1;
      if (![429, 502, 503, 504].includes(res.status)) return { status: res.status, json };
    } catch {
      networkRetries += 1;
    }
    if (Date.now() > deadline) throw new Error(`POST ${url} (key ${key}) got no answer within 180 s`);
    await sleep(300 + Math.random() * 500);
  }
}

const meeting = {
  body: 'two-committees',
  date: '2026-03-10',
  members: 7,
  present: 6,
  inFavour: 5,
  against: 1,
  abstain: 0,
  minutesHash: 'b'.repeat(64),
};

/** One client: starts a matter, takes it three steps on, and again, until the load stops. */
async function client(n: number): Promise<void> {
  while (loadRunning) {
    const key = `cluster-${n}-${randomUUID()}`;
    const title = `村道硬化工程 ${key.slice(-6)}`;
    const started = await post(
      SECRETARY,
      '/api/matters',
      { procedureId: 'major-decision', village: 'xinglong', title },
      key,
    );
    if (started.status !== 201) throw new Error(`start → ${started.status} ${JSON.stringify(started.json)}`);
    const id = (started.json as { id: string }).id;
    const matter: MatterRecord = { id, key, acks: [] };
    matters.push(matter);
    const steps: [string, string, string, unknown][] = [
      [
        SECRETARY,
        'propose',
        'submit',
        { title, description: '硬化村道 2 公里', category: 'infrastructure', estimatedAmount: 300000 },
      ],
      [DIRECTOR, 'deliberate', 'record', meeting],
      [SUPERVISOR, 'deliberate', 'confirm', undefined],
    ];
    for (const [user, step, action, data] of steps) {
      const actionKey = `${key}-${step}-${action}`;
      const body = data === undefined ? { step, action } : { step, action, data };
      const res = await post(user, `/api/matters/${id}/actions`, body, actionKey);
      if (res.status !== 200) throw new Error(`${step}/${action} on ${id} → ${res.status} ${JSON.stringify(res.json)}`);
      matter.acks.push({ step, action, key: actionKey });
      // Now and then a client did not see the answer and sends the same request again: applied once.
      if (Math.random() < 0.2) {
        const again = await post(user, `/api/matters/${id}/actions`, body, actionKey);
        sameKeyResends += 1;
        if (again.status !== 200) throw new Error(`resend of ${actionKey} → ${again.status}`);
      }
    }
  }
}

async function login(userId: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, password }),
  });
  if (res.status !== 200) throw new Error(`log-in of ${userId} → ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Lets the load run on a little, so each fault meets requests in flight. */
const underLoad = (ms = 8000) => sleep(ms);

function acknowledged(): number {
  return matters.length + matters.reduce((sum, m) => sum + m.acks.length, 0);
}

beforeAll(async () => {
  if (!existsSync(CLUSTER)) throw new Error(`${CLUSTER} is missing: npm run test:cluster builds it`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-cluster-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  cluster = spawn(process.execPath, [CLUSTER], {
    env: { ...process.env, CLUSTER_DIR: dir, CLUSTER_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cluster.stdout?.on('data', (chunk: Buffer) => (clusterOut += chunk.toString()));
  cluster.stderr?.on('data', (chunk: Buffer) => (clusterOut += chunk.toString()));
  await waitUntil('the cluster to be ready', 900_000, async () => {
    if (cluster.exitCode !== null) throw new Error(`the cluster exited:\n${clusterOut}`);
    return existsSync(path.join(dir, 'cluster.json')) && state().ready;
  }).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${clusterOut}`);
  });
  const logins = new Map(
    readFileSync(path.join(dir, 'app', 'demo-logins.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  );
  for (const user of [SECRETARY, DIRECTOR, SUPERVISOR]) tokens[user] = await login(user, logins.get(user) ?? '');
  loadRunning = true;
  load = Array.from({ length: CLIENTS }, (_, n) => client(n));
}, 960_000);

afterAll(async () => {
  loadRunning = false;
  await Promise.allSettled(load);
  if (cluster && cluster.exitCode === null) {
    const exited = new Promise((resolve) => cluster.once('exit', resolve));
    cluster.kill('SIGTERM');
    await exited;
  }
  printTable();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('the production shape under load and faults', () => {
  test('given load through the balancer, when a worker is SIGKILLed, then the other carries on and it comes back', async () => {
    await underLoad();
    const pid = pidOf('worker-1');
    const before = acknowledged();
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await restarted('worker-1', pid);
    // Acknowledged while worker-1 was gone or starting: worker-2 carried the matters alone.
    await waitUntil('progress on worker-2 alone', 60_000, async () => acknowledged() > before);
    await waitUntil('/readyz after the worker', 60_000, isReady);
    faults.push({
      fault: 'SIGKILL worker',
      injected: 1,
      readyAfterMs: [Date.now() - killedAt],
      acksDuring: acknowledged() - before,
      note: 'the other worker carried on',
    });
  });

  test('given load, when an API is SIGKILLed, then clients retry through the balancer with the same key and get one result', async () => {
    await underLoad();
    const pid = pidOf('api-1');
    const before = acknowledged();
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await restarted('api-1', pid);
    await waitUntil('/readyz after the API', 60_000, isReady);
    faults.push({
      fault: 'SIGKILL API',
      injected: 1,
      readyAfterMs: [Date.now() - killedAt],
      acksDuring: acknowledged() - before,
      note: 'HAProxy + same-key retries',
    });
  });

  test('given load, when the Temporal server is SIGKILLed, then it is started again and the system is ready again', async () => {
    await underLoad();
    const pid = pidOf('temporal');
    const before = acknowledged();
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await restarted('temporal', pid);
    await waitUntil('/readyz after the Temporal server', 120_000, isReady);
    faults.push({
      fault: 'SIGKILL Temporal server',
      injected: 1,
      readyAfterMs: [Date.now() - killedAt],
      acksDuring: acknowledged() - before,
      note: 'restarted by the supervisor',
    });
  });

  test('given load, when PostgreSQL is SIGKILLed, then it recovers and the system is ready again', async () => {
    await underLoad();
    const pid = pidOf('postgres');
    const before = acknowledged();
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await restarted('postgres', pid);
    await waitUntil('/readyz after PostgreSQL', 180_000, isReady);
    faults.push({
      fault: 'SIGKILL PostgreSQL',
      injected: 1,
      readyAfterMs: [Date.now() - killedAt],
      acksDuring: acknowledged() - before,
      note: 'crash recovery, then restart',
    });
  });

  test('given load, when one worker is stopped (SIGSTOP), then the other carries on', async () => {
    await underLoad();
    const pid = pidOf('worker-2');
    const before = acknowledged();
    process.kill(pid, 'SIGSTOP');
    try {
      await waitUntil('progress with worker-2 stopped', 90_000, async () => acknowledged() > before + 3);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const contAt = Date.now();
    await waitUntil('/readyz after SIGCONT', 60_000, isReady);
    faults.push({
      fault: 'SIGSTOP one worker',
      injected: 1,
      readyAfterMs: [Date.now() - contAt],
      acksDuring: acknowledged() - before,
      note: 'other worker carried on',
    });
  });

  test('given every worker stopped (SIGSTOP), then /readyz says so within 10 s and requests answer within their deadline with a clear 503', async () => {
    await underLoad();
    const pids = [pidOf('worker-1'), pidOf('worker-2')];
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    const stoppedAt = Date.now();
    try {
      const detectedAfter = await waitUntil('/readyz 503', 10_000, async () => (await readyz()) === 503);
      expect(detectedAfter).toBeLessThanOrEqual(10_000);
      // A read of a matter needs a worker (a query): it answers within the deadline, a clear 503.
      const matter = matters[0];
      expect(matter).toBeDefined();
      const asked = Date.now();
      const res = await fetch(`${base}/api/matters/${matter?.id}`, {
        headers: { authorization: `Bearer ${tokens[SECRETARY]}` },
        signal: AbortSignal.timeout(60_000),
      });
      const took = Date.now() - asked;
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      expect({ status: res.status, took: took <= ANSWER_WITHIN_MS }).toEqual({ status: 503, took: true });
      expect(body.error?.code).toMatch(/^[A-Z_]+$/);
      expect(res.headers.get('retry-after')).not.toBeNull();
      faults.push({
        fault: 'SIGSTOP every worker',
        injected: pids.length,
        readyAfterMs: [],
        acksDuring: 0,
        note: `/readyz 503 after ${(detectedAfter / 1000).toFixed(1)} s; read → 503 ${body.error?.code} in ${(took / 1000).toFixed(1)} s`,
      });
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    const contAt = Date.now();
    await waitUntil('/readyz after SIGCONT', 60_000, isReady);
    const row = faults[faults.length - 1];
    if (row && row.fault === 'SIGSTOP every worker') row.readyAfterMs.push(Date.now() - contAt);
    expect(Date.now() - stoppedAt).toBeGreaterThan(0);
  });

  test('given the load stopped, then every acknowledged start and action is there exactly once, and no answer was a 500', async () => {
    await underLoad();
    loadRunning = false;
    const settled = await Promise.allSettled(load);
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    expect(failures).toEqual([]);

    let lost = 0;
    let duplicated = 0;
    for (const matter of matters) {
      const res = await fetch(`${base}/api/matters/${matter.id}`, {
        headers: { authorization: `Bearer ${tokens[SECRETARY]}` },
      });
      if (res.status === 404) {
        lost += 1 + matter.acks.length;
        continue;
      }
      expect(res.status).toBe(200);
      const view = (await res.json()) as { record: { step: string | null; action: string }[] };
      for (const ack of matter.acks) {
        const found = view.record.filter((e) => e.step === ack.step && e.action === ack.action).length;
        if (found === 0) lost += 1;
        if (found > 1) duplicated += found - 1;
      }
    }
    checked = {
      matters: matters.length,
      actions: matters.reduce((sum, m) => sum + m.acks.length, 0),
      lost,
      duplicated,
    };
    const serverErrors = [...statuses]
      .filter(([status]) => status >= 500 && status !== 503)
      .reduce((sum, [, n]) => sum + n, 0);
    expect({ lost, duplicated, serverErrors, unclear503 }).toEqual({
      lost: 0,
      duplicated: 0,
      serverErrors: 0,
      unclear503: 0,
    });
    expect(matters.length).toBeGreaterThan(10);
  }, 300_000);
});

let checked: { matters: number; actions: number; lost: number; duplicated: number } | undefined;

function printTable(): void {
  const seconds = (ms: number[]) => (ms.length === 0 ? '—' : ms.map((m) => `${(m / 1000).toFixed(1)} s`).join(', '));
  const lines = [
    '',
    '| fault | injected | time to ready after it | acknowledged meanwhile | note |',
    '| --- | --- | --- | --- | --- |',
    ...faults.map((f) => `| ${f.fault} | ${f.injected} | ${seconds(f.readyAfterMs)} | ${f.acksDuring} | ${f.note} |`),
    '',
    '| measure | value |',
    '| --- | --- |',
    `| matters started and checked | ${checked?.matters ?? matters.length} |`,
    `| actions acknowledged and checked | ${checked?.actions ?? '—'} |`,
    `| same-key resends (retries and deliberate repeats) | ${sameKeyResends} |`,
    `| requests that got no answer (retried) | ${networkRetries} |`,
    `| lost | ${checked?.lost ?? '—'} |`,
    `| duplicated | ${checked?.duplicated ?? '—'} |`,
    `| 5xx other than a clear 503 | ${[...statuses].filter(([s]) => s >= 500 && s !== 503).reduce((a, [, n]) => a + n, 0)} |`,
    `| clear 503 (retried) | ${(statuses.get(503) ?? 0) - unclear503} |`,
    `| 503 without a cause | ${unclear503} |`,
    `| answers by status | ${[...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')} |`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
