import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, isPortFree } from '../../scripts/ports';
import { testEnv } from '../helpers/test-env';

/**
 * The supervisor behind `npm start`, run for real: dev server on a SQLite file, worker, API.
 * (npm start = install if needed + build + this; `npm test` has just built dist/.)
 */

const START = path.resolve(__dirname, '..', '..', 'dist', 'scripts', 'start.js');

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const systems: Running[] = [];

function startSystem(env: Record<string, string>): Running {
  const base = { ...process.env };
  delete base.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, [START], {
    env: { ...base, HOST: '127.0.0.1', LOG_LEVEL: 'warn', TEMPORAL_CLI: testEnv('cli'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = { child, stdout: () => out, stderr: () => err, exited };
  systems.push(running);
  return running;
}

/** Every live descendant of a process, from /proc (Linux). */
function descendants(rootPid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** The pid the supervisor last reported for one of its children ("worker started (pid 12)"). */
function childPid(running: Running, name: string): number {
  const pids = [...running.stdout().matchAll(new RegExp(`^${name} (?:re)?started \\(pid (\\d+)`, 'gm'))];
  const last = pids[pids.length - 1]?.[1];
  if (last === undefined) throw new Error(`the supervisor reported no pid for ${name}:\n${running.stdout()}`);
  return Number(last);
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The supervisor prints its banner once /readyz has answered 200. */
async function ready(port: number, running: Running): Promise<void> {
  await waitUntil(`the banner\n${running.stdout()}\n${running.stderr()}`, 90_000, async () =>
    running.stdout().includes('Press Ctrl-C') ? true : undefined,
  );
  expect(running.stdout()).toContain('is ready');
  expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
}

function oneLineError(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0] ?? '';
}

let dir: string;
beforeAll(() => {
  if (!existsSync(START)) throw new Error(`${START} is missing: run "npm run build" first (npm test does)`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-system-'));
});
afterEach(async () => {
  // Also when a test failed half-way: no system of ours outlives its test.
  for (const running of systems.splice(0)) {
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM');
    await running.exited;
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start: the whole system', () => {
  test('given a fresh DATA_DIR, when started, stopped with SIGTERM and started again, then nothing is orphaned and a workflow started before finishes', async () => {
    const ports = {
      PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    };
    const env = { ...ports, DATA_DIR: path.join(dir, 'data') };
    const api = `http://127.0.0.1:${ports.PORT}`;

    const first = startSystem(env);
    await ready(Number(ports.PORT), first);
    expect(first.stdout()).toContain(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
    const webUi = await fetch(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/`);
    expect(webUi.status).toBe(200);
    const home = await fetch(`${api}/`);
    expect(await home.text()).toContain('小微权力');
    // a fresh clone gets the demo district, and its log-ins work
    expect(first.stdout()).toContain('Demo log-ins');
    const secretaryLine = /xinglong-secretary\s+(\S+)/.exec(first.stdout());
    expect(secretaryLine).not.toBeNull();
    const login = await fetch(`${api}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'xinglong-secretary', password: secretaryLine?.[1] }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/xwql_session=.+HttpOnly/i);
    const started = await fetch(`${api}/api/pings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '重启之前', delaySeconds: 4 }),
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const children = descendants(first.child.pid ?? -1);
    expect(children.length).toBeGreaterThanOrEqual(3);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(children.filter(isAlive)).toEqual([]);

    const second = startSystem(env);
    await ready(Number(ports.PORT), second);
    const done = await waitUntil('the ping to complete', 30_000, async () => {
      const body = (await (await fetch(`${api}/api/pings/${id}`)).json()) as {
        status: string;
        result?: { greeting: string };
      };
      return body.status === 'COMPLETED' ? body : undefined;
    });
    expect(done.result?.greeting).toContain('重启之前');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);

  test('given a running system, when the worker, the API and the dev server are SIGKILLed in turn, then each is started again and the system is ready again', async () => {
    const ports = {
      PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    };
    const running = startSystem({ ...ports, DATA_DIR: path.join(dir, 'restarts') });
    await ready(Number(ports.PORT), running);
    const readyz = `http://127.0.0.1:${ports.PORT}/readyz`;

    for (const name of ['worker', 'api', 'temporal'] as const) {
      const pid = childPid(running, name);
      process.kill(pid, 'SIGKILL');
      await waitUntil(`${name} to be restarted\n${running.stdout()}`, 30_000, async () =>
        childPid(running, name) !== pid ? true : undefined,
      );
      expect(running.stdout()).toMatch(new RegExp(`${name} exited \\(SIGKILL\\); restarting in \\d+ s`));
      await waitUntil(`/readyz after the ${name} restarted`, 60_000, async () =>
        (await fetch(readyz)).status === 200 ? true : undefined,
      );
      expect(isAlive(pid)).toBe(false);
    }
    expect(running.child.exitCode).toBeNull();

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    // A graceful stop is graceful for the worker too.
    expect(running.stderr()).not.toMatch(/IllegalStateError|Not running/);
  }, 240_000);

  test('given a running system, when the supervisor itself is SIGKILLed, then no child outlives it and the next start works', async () => {
    const ports = {
      PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    };
    const env = { ...ports, DATA_DIR: path.join(dir, 'killed') };
    const first = startSystem(env);
    await ready(Number(ports.PORT), first);
    const children = descendants(first.child.pid ?? -1);
    expect(children.length).toBeGreaterThanOrEqual(3);

    first.child.kill('SIGKILL');
    await first.exited;
    await waitUntil(`every child to end: ${children.filter(isAlive).join(', ')}`, 30_000, async () =>
      children.some(isAlive) ? undefined : true,
    );
    for (const port of Object.values(ports)) expect(await isPortFree(Number(port))).toBe(true);

    const second = startSystem(env);
    await ready(Number(ports.PORT), second);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);

  test('given production without SESSION_SECRET, or without a directory, then start-up stops with one line saying so', async () => {
    const noSecret = startSystem({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      DATA_DIR: path.join(dir, 'p1'),
    });
    expect(await noSecret.exited).toBe(1);
    expect(oneLineError(noSecret.stderr())).toMatch(/SESSION_SECRET is required in production/);

    const noDirectory = startSystem({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      PORT: String(await freePort()),
      DATA_DIR: path.join(dir, 'p2'),
    });
    expect(await noDirectory.exited).toBe(1);
    expect(oneLineError(noDirectory.stderr())).toMatch(/^No directory of people at .*directory\.json/);
    expect(noDirectory.stdout()).not.toContain('Demo log-ins');
  });

  test('given a bad PORT, then start-up stops with one line naming it', async () => {
    const running = startSystem({ PORT: 'eighty', DATA_DIR: path.join(dir, 'unused') });

    expect(await running.exited).toBe(1);
    expect(oneLineError(running.stderr())).toMatch(/PORT must be a whole number from 1 to 65535 \(got "eighty"\)/);
  });

  test('given a DATA_DIR below a file, then start-up stops with one line naming it', async () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    const running = startSystem({ PORT: String(await freePort()), DATA_DIR: path.join(file, 'data') });

    expect(await running.exited).toBe(1);
    expect(oneLineError(running.stderr())).toMatch(/^DATA_DIR=.*a-file\/data cannot be created/);
  });

  test('given PORT already taken, then start-up stops with one line naming it', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const running = startSystem({ PORT: String(port), DATA_DIR: path.join(dir, 'busy') });

      expect(await running.exited).toBe(1);
      expect(oneLineError(running.stderr())).toBe(`PORT=${port} is already in use / 端口已被占用`);
    } finally {
      blocker.close();
    }
  });
});
