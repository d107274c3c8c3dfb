import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createNoticeStore } from '../../stores/notices';
import { openProjection } from '../../stores/read-model';
import { createApp } from '../../api/app';
import { signSession, type SessionConfig } from '../../api/auth/session';
import { memoryDirectory, type Directory } from '../../common/directory';
import type { Role } from '../../common/graph';
import { createCatalog, type Catalog } from '../../procedures/catalog';
import { createProcedureVersionStore } from '../../stores/procedure-versions';
import { startDevServer, type DevServer } from '../dev-server';
import { freePort } from '../ports';
import { ensureTemporalCli } from '../temporal-cli';
import type { WorkerProcessArgs, WorkerUsage } from './worker-process';

/**
 * What the service sections of the bench run on: a fresh embedded dev server (SQLite file in a
 * temporary directory), the worker in a child process (its memory measured alone), and the API in
 * this process, with a district of `villages` villages in 10 towns and one person per village role.
 */

export const PROJECT_DIR = path.resolve(__dirname, '..', '..', '..');
const DIST_DIR = path.resolve(__dirname, '..', '..');
export const VILLAGE_ROLES: Role[] = [
  'secretary',
  'director',
  'committee',
  'accountant',
  'supervisor',
  'supervisor-chair',
];

export function villageId(i: number): string {
  return `v${String(i + 1).padStart(3, '0')}`;
}

/** A district for the bench; the API never checks passwords here (the bench signs its sessions). */
export function benchDirectory(villages: number): Directory {
  const towns = Math.min(10, villages);
  return {
    towns: Array.from({ length: towns }, (_, t) => ({
      id: `t${t + 1}`,
      name: { zh: `第${t + 1}镇`, en: `Town ${t + 1}` },
    })),
    villages: Array.from({ length: villages }, (_, i) => ({
      id: villageId(i),
      town: `t${(i % towns) + 1}`,
      name: { zh: `${i + 1}村`, en: `Village ${i + 1}` },
    })),
    users: Array.from({ length: villages }, (_, i) => [
      ...VILLAGE_ROLES.map((role) => ({
        id: `${villageId(i)}-${role}`,
        name: `${villageId(i)}${role}`,
        passwordHash: 'unused: the bench signs its sessions',
        roles: [{ role, village: villageId(i) }],
      })),
      // the town official of the village's town (one account per village, so each client has its own)
      {
        id: `${villageId(i)}-town`,
        name: `${villageId(i)}town`,
        passwordHash: 'unused: the bench signs its sessions',
        roles: [{ role: 'town-official' as const, town: `t${(i % towns) + 1}` }],
      },
    ]).flat(),
  };
}

export interface Stack {
  base: string;
  client: Client;
  catalog: Catalog;
  taskQueue: string;
  bareTaskQueue: string;
  server: DevServer;
  dbFile: string;
  /** POST/GET as a user of the directory (a signed session, no log-in) */
  as(userId: string): Promise<(method: 'GET' | 'POST', url: string, body?: unknown, key?: string) => Promise<unknown>>;
  workerUsage(): Promise<WorkerUsage>;
  /** bytes of the SQLite file and its WAL */
  dbBytes(): number;
  stop(): Promise<void>;
}

/** `bare`: the worker process also runs the bare yardstick workflow (the actions section; not the scale one,
 * whose worker memory is the project's alone). */
export async function startStack(options: {
  villages: number;
  maxCachedWorkflows?: number;
  bare?: boolean;
}): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-bench-'));
  const cli = ensureTemporalCli({ env: process.env, projectDir: PROJECT_DIR, log: () => undefined });
  const dbFile = path.join(dir, 'temporal.db');
  const server = await startDevServer({
    cli,
    dbFile,
    port: await freePort(),
    namespace: 'default',
    readyTimeoutMs: 90_000,
    logFile: path.join(dir, 'temporal.log'),
  });
  const cleanups: (() => Promise<void> | void)[] = [
    () => server.stop(),
    () => rmSync(dir, { recursive: true, force: true }),
  ];
  const stop = async () => {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch {
        // keep cleaning up
      }
    }
  };
  try {
    const connection = await Connection.connect({ address: server.address });
    cleanups.unshift(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const taskQueue = 'bench';
    const bareTaskQueue = 'bench-bare';
    const bundle = path.join(DIST_DIR, 'workflow-bundle.js');
    const projectionFile = path.join(dir, 'read-model.sqlite');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
    const args: WorkerProcessArgs = {
      address: server.address,
      taskQueue,
      ...(options.bare ? { bareTaskQueue } : {}),
      bundle,
      projectionFile,
      ...(options.maxCachedWorkflows ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    };
    const child: ChildProcess = fork(path.join(__dirname, 'worker-process.js'), [JSON.stringify(args)], {
      // BENCH_CPU_PROF=<dir>: the worker writes a V8 CPU profile per thread (the workflows run in
      // their own thread) when it stops; `node --cpu-prof` on the bench itself profiles the API.
      execArgv: [
        '--expose-gc',
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    cleanups.unshift(async () => {
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
      child.on('message', (m: { type?: string }) => {
        if (m.type === 'ready') resolve();
      });
    });
    const workerUsage = () =>
      new Promise<WorkerUsage>((resolve) => {
        const onMessage = (m: { type?: string; usage?: WorkerUsage }) => {
          if (m.type !== 'usage' || !m.usage) return;
          child.off('message', onMessage);
          resolve(m.usage);
        };
        child.on('message', onMessage);
        child.send({ type: 'usage' });
      });

    const session: SessionConfig = {
      secret: new TextEncoder().encode('bench-secret-bench-secret-bench-secret-0'),
      ttlSeconds: 3600,
      secureCookie: false,
      loginAttempts: 5,
      loginWindowMs: 60_000,
    };
    const catalog = createCatalog({
      proceduresDir: path.join(PROJECT_DIR, 'procedures'),
      policyFile: path.join(PROJECT_DIR, 'procedures', 'policies', 'luojiang.json'),
      versions: createProcedureVersionStore(path.join(dir, 'catalog')),
    });
    const app = createApp({
      temporal: { client, namespace: 'default', taskQueue },
      catalog,
      directory: memoryDirectory(benchDirectory(options.villages)),
      session,
      logger: pino({ level: 'silent' }),
      notices: createNoticeStore(path.join(dir, 'notices')),
      projection: openProjection(projectionFile),
    });
    const http = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    cleanups.unshift(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const port = (http.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    // The load generator shares this process with the API: node:http with kept-alive sockets costs
    // it a fraction of what fetch does, and each user signs in once and keeps the session, as a
    // browser or an API client would.
    const agent = new Agent({ keepAlive: true });
    cleanups.unshift(() => agent.destroy());
    const send = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method, path: url, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    const tokens = new Map<string, Promise<string>>();
    const as = async (userId: string) => {
      let token = tokens.get(userId);
      if (!token) {
        token = signSession(session, userId).then((signed) => signed.token);
        tokens.set(userId, token);
      }
      const authorization = `Bearer ${await token}`;
      return async (method: 'GET' | 'POST', url: string, body?: unknown, key?: string) => {
        const json = body !== undefined ? JSON.stringify(body) : undefined;
        const res = await send(
          method,
          url,
          {
            authorization,
            ...(json !== undefined
              ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)) }
              : {}),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          json,
        );
        if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${res.text}`);
        return JSON.parse(res.text) as unknown;
      };
    };
    const dbBytes = () =>
      [dbFile, `${dbFile}-wal`, projectionFile, `${projectionFile}-wal`].reduce(
        (sum, f) => sum + (existsSync(f) ? statSync(f).size : 0),
        0,
      );
    return { base, client, catalog, taskQueue, bareTaskQueue, server, dbFile, as, workerUsage, dbBytes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** CPU ms of a process so far (utime + stime from /proc; 0 where there is no /proc). */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // fields after "comm)": state is [0], utime [11], stime [12], in clock ticks (100 per second here)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export function load(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
}
