import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { customSearchAttributes } from '../common/search-attributes';
import { isPortFree } from './ports';
import { ensureRetention } from './retention';
import { registerSearchAttributes } from './search-attributes';

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

class OutputTail {
  private lines: string[] = [];
  constructor(private readonly max = 20) {}
  push(chunk: Buffer): void {
    this.lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    if (this.lines.length > this.max) this.lines = this.lines.slice(-this.max);
  }
  toString(): string {
    return this.lines.join('\n');
  }
}

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

  const freshDb = !options.dbFile || !existsSync(options.dbFile);
  const child = spawn(options.cli, devServerArgs(options, freshDb), { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new OutputTail();
  let logStream: WriteStream | undefined;
  if (options.logFile) logStream = createWriteStream(options.logFile, { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      logStream?.write(chunk);
    });
  }
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const exited = waitForExit(child).finally(() => logStream?.end());
  const address = `${ip}:${options.port}`;
  const server: DevServer = {
    address,
    uiUrl: options.uiPort === undefined ? undefined : `http://${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${options.uiPort}`,
    pid: child.pid ?? -1,
    exited,
    stop: () => stopChild(child, exited),
  };

  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    if (spawnError) throw new DevServerError(`Could not run ${options.cli}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new DevServerError(
        `Temporal dev server exited (code ${child.exitCode ?? child.signalCode}) before it was ready:\n${tail.toString()}`,
      );
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new DevServerError(
        `Temporal dev server was not ready within ${options.readyTimeoutMs} ms (TEMPORAL_READY_TIMEOUT_MS). Last output:\n${tail.toString()}`,
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
      return server;
    } catch (err) {
      await server.stop();
      throw new DevServerError(
        `Could not register search attributes or set the retention: ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      await connection.close();
    }
  }
}
