import type { ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { customSearchAttributes } from '../common/search-attributes';
import { isPortFree } from './ports';
import { ensureRetention } from './retention';
import { registerSearchAttributes } from './search-attributes';
import { spawnTied, type SpawnSpec } from './supervisor';

export interface DevServerOptions {
  cli: string;
  /** SQLite file; omitted → in-memory (nothing survives a restart). */
  dbFile?: string;
  ip?: string;
  port: number;
  /** Web UI port; omitted → headless. */
  uiPort?: number;
  namespace: string;
  readyTimeoutMs: number;
  /** Server output goes here; the last lines also go into start-up errors. */
  logFile?: string;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  pid: number;
  /** Resolves when the server process has ended, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export class DevServerError extends Error {
  override name = 'DevServerError';
}

// The design card's SQLite settings: WAL so readers do not block the writer, and a busy
// timeout so a checkpoint does not fail a request.
const SQLITE_PRAGMAS = ['journal_mode=WAL', 'synchronous=NORMAL', 'busy_timeout=5000'];

function devServerArgs(options: DevServerOptions, freshDb: boolean): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    options.ip ?? '127.0.0.1',
    '--port',
    String(options.port),
    '--log-level',
    'warn',
  ];
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  if (options.dbFile) {
    args.push('--db-filename', options.dbFile);
    for (const pragma of SQLITE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  // Only honoured for a fresh db; registerSearchAttributes() covers an existing one.
  if (freshDb) {
    for (const { name, type } of customSearchAttributes) {
      const cliType = type === 'KEYWORD_LIST' ? 'KeywordList' : type.charAt(0) + type.slice(1).toLowerCase();
      args.push('--search-attribute', `${name}=${cliType}`);
    }
  }
  return args;
}

/** The last lines of the server's output, for start-up errors. */
function tailOf(logFile: string | undefined, lines = 20): string {
  if (!logFile || !existsSync(logFile)) return '(no output)';
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .join('\n');
}

/**
 * How to run the dev server: its output goes straight to the log file (or nowhere), so that it has
 * nothing to write to that could block once whoever started it has gone; it dies with its starter.
 */
export function devServerSpawnSpec(options: DevServerOptions): DevServerSpawnSpec {
  const freshDb = !options.dbFile || !existsSync(options.dbFile);
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  return { command: options.cli, args: devServerArgs(options, freshDb), stdio: ['ignore', out, out] };
}

export type DevServerSpawnSpec = SpawnSpec & { stdio: ['ignore', number | 'ignore', number | 'ignore'] };

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * The database holds every matter's record, contact details included: readable by its owner only.
 * Files made before are narrowed; the server inherits a umask of 077 for the ones it makes (the
 * WAL and its index), set only around the spawn so this process keeps its own.
 */
function ownerOnly<T>(dbFile: string | undefined, spawn: () => T): T {
  if (dbFile) for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  const previous = process.umask(0o077);
  try {
    return spawn();
  } finally {
    process.umask(previous);
  }
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  for (const [name, port] of [
    ['TEMPORAL_PORT', options.port],
    ['TEMPORAL_UI_PORT', options.uiPort],
  ] as const) {
    if (port !== undefined && !(await isPortFree(port, ip))) {
      throw new DevServerError(
        `${name}=${port} is already in use on ${ip}; stop what runs there or choose another port`,
      );
    }
  }

  const spec = devServerSpawnSpec(options);
  const child = ownerOnly(options.dbFile, () => spawnTied(spec));
  // The child has its own copy of the log file's descriptor.
  if (typeof spec.stdio[1] === 'number') closeSync(spec.stdio[1]);
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const exited = waitForExit(child);
  const address = `${ip}:${options.port}`;
  const server: DevServer = {
    address,
    uiUrl: options.uiPort === undefined ? undefined : `http://${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${options.uiPort}`,
    pid: child.pid ?? -1,
    exited,
    stop: () => stopChild(child, exited),
  };

  try {
    await waitForDevServer(server.address, options, () => {
      if (spawnError) throw new DevServerError(`Could not run ${options.cli}: ${spawnError.message}`);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new DevServerError(
          `Temporal dev server exited (code ${child.exitCode ?? child.signalCode}) before it was ready:\n${tailOf(options.logFile)}`,
        );
      }
    });
    return server;
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * Waits until the server at `address` answers for the namespace, then registers the search
 * attributes and the retention. `check` throws to give up early (e.g. the process has died).
 */
export async function waitForDevServer(
  address: string,
  options: Pick<DevServerOptions, 'namespace' | 'readyTimeoutMs' | 'logFile'>,
  check: () => void,
): Promise<void> {
  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    check();
    if (Date.now() > deadline) {
      throw new DevServerError(
        `Temporal dev server was not ready within ${options.readyTimeoutMs} ms (TEMPORAL_READY_TIMEOUT_MS). Last output:\n${tailOf(options.logFile)}`,
      );
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.describeNamespace({ namespace: options.namespace });
    } catch {
      await connection?.close();
      await sleep(250);
      continue;
    }
    try {
      await registerSearchAttributes(connection, options.namespace);
      await ensureRetention(connection, options.namespace);
      return;
    } catch (err) {
      throw new DevServerError(
        `Could not register search attributes or set the retention: ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      await connection.close();
    }
  }
}
