import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { ConfigError, parseConfig, type Config } from '../common/config';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { demoDirectory } from '../api/directory/demo';
import { saveDirectory } from '../stores/directory';
import { DataDirError, prepareDataDir } from './data-dir';
import { DevServerError, devServerSpawnSpec, waitForDevServer } from './dev-server';
import { isPortFree } from './ports';
import { registerSearchAttributes } from './search-attributes';
import { Supervised, describeEvent, type ChildSpec } from './supervisor';
import { TemporalCliError, ensureTemporalCli } from './temporal-cli';

/**
 * `npm start`: one supervisor for the whole system. It owns every child (dev server, worker, API),
 * starts a dead one again with backoff (scripts/supervisor.ts), and takes them all down gracefully
 * on Ctrl-C / SIGTERM. Killed itself, it takes its children along: the kernel signals each of them.
 */

const PROJECT_DIR = path.resolve(__dirname, '..', '..');
const DIST_DIR = path.resolve(__dirname, '..');

class StartError extends Error {}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function nodeChild(name: string, script: string, env: NodeJS.ProcessEnv): ChildSpec {
  // The IPC channel is a second way for the child to notice that the supervisor has gone.
  return {
    name,
    command: process.execPath,
    args: [path.join(DIST_DIR, script)],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  };
}

async function waitForReady(url: string, timeoutMs: number, stillAlive: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillAlive()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  return false;
}

function localUrl(config: Config): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

export async function main(): Promise<void> {
  let config: Config;
  let dataDir: string;
  try {
    config = parseConfig(process.env);
    dataDir = prepareDataDir(config.dataDir);
    if (!(await isPortFree(config.port, config.host))) {
      throw new StartError(`PORT=${config.port} is already in use / 端口已被占用`);
    }
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataDirError || err instanceof StartError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const demoLogins = await seedDirectory(config, dataDir);

  const children: Supervised[] = [];
  let devServer: Supervised | undefined;
  let stopping = false;
  const supervise = (spec: ChildSpec): Supervised => {
    const child = new Supervised(spec, (event) => {
      if (!stopping) say(describeEvent(event));
    });
    child.start();
    return child;
  };

  const shutdown = async (code: number, reason?: string): Promise<never> => {
    if (!stopping) {
      stopping = true;
      if (reason) process.stderr.write(`${reason}\n`);
      say('Stopping / 正在停止 …');
      await Promise.all(children.map((child) => child.stop()));
      // The server goes last: the worker finishes its tasks against it first.
      await devServer?.stop();
      say('Stopped / 已停止');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // `npm start` may die without passing its signal on (npm does not forward every signal to
  // its script): once our parent is gone, stop rather than run on unseen.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(0, 'The parent process went away; stopping.');
  }, 1000).unref();

  let address = config.temporal.address;
  let webUi: string | undefined;
  try {
    if (!address) {
      const ip = '127.0.0.1';
      for (const [name, port] of [
        ['TEMPORAL_PORT', config.temporal.devServerPort],
        ['TEMPORAL_UI_PORT', config.temporal.devServerUiPort],
      ] as const) {
        if (!(await isPortFree(port, ip))) {
          throw new DevServerError(
            `${name}=${port} is already in use on ${ip}; stop what runs there or choose another port`,
          );
        }
      }
      const cli = ensureTemporalCli({ env: process.env, projectDir: PROJECT_DIR, log: say });
      const logFile = path.join(dataDir, 'temporal.log');
      say(`Starting Temporal dev server / 启动 Temporal 开发服务器 (${path.join(dataDir, 'temporal.db')}) …`);
      const options = {
        cli,
        dbFile: path.join(dataDir, 'temporal.db'),
        ip,
        port: config.temporal.devServerPort,
        uiPort: config.temporal.devServerUiPort,
        namespace: config.temporal.namespace,
        readyTimeoutMs: config.temporal.readyTimeoutMs,
        logFile,
      };
      // The dev server writes to its log file itself, so it never waits on a pipe of ours.
      const spec = devServerSpawnSpec(options);
      devServer = supervise({ name: 'temporal', ...spec });
      address = `${ip}:${config.temporal.devServerPort}`;
      webUi = `http://${ip}:${config.temporal.devServerUiPort}`;
      const first = devServer;
      await waitForDevServer(address, options, () => {
        if (first.restarts > 0 || first.pid === undefined) {
          throw new DevServerError(`Temporal dev server exited before it was ready; see ${logFile}`);
        }
      });
      if (stopping) return;
    } else {
      const connection = await Connection.connect({ address, connectTimeout: config.temporal.readyTimeoutMs });
      try {
        await registerSearchAttributes(connection, config.temporal.namespace);
      } catch (err) {
        say(
          `Warning: could not register search attributes on ${address}: ${err instanceof Error ? err.message : String(err)}`,
        );
      } finally {
        await connection.close();
      }
    }
  } catch (err) {
    if (err instanceof TemporalCliError || err instanceof DevServerError) await shutdown(1, err.message);
    await shutdown(1, `Could not reach Temporal at ${address}: ${err instanceof Error ? err.message : String(err)}`);
  }

  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: address, DATA_DIR: dataDir };
  children.push(supervise(nodeChild('worker', 'worker/main.js', env)), supervise(nodeChild('api', 'api/main.js', env)));

  const appUrl = localUrl(config);
  const ready = await waitForReady(`http://127.0.0.1:${config.port}/readyz`, 60_000, () => !stopping);
  if (stopping) return;
  say('');
  say(
    ready
      ? '小微权力 is ready / 系统已就绪'
      : 'Started, but /readyz is not yet 200 — see the logs above / 已启动，但尚未就绪',
  );
  say(`  App / 应用:                 ${appUrl}`);
  say(`  Readiness / 就绪检查:       ${appUrl}/readyz`);
  if (webUi) say(`  Temporal Web UI:            ${webUi}`);
  say(`  Temporal gRPC:              ${address}`);
  say(`  Data / 数据目录:            ${dataDir}`);
  if (demoLogins) {
    say('');
    say('Demo log-ins (development only) / 演示账号（仅开发模式）:');
    for (const line of demoLogins) say(`  ${line}`);
  }
  say('Press Ctrl-C to stop / 按 Ctrl-C 停止');
}

/**
 * A fresh clone in development gets the demo district, so there is someone to sign in as; its
 * log-ins are kept beside it (0600) and printed at each start. Production seeds nothing: the
 * directory is made with `npm run directory`, and its absence stops the start with that advice.
 */
async function seedDirectory(config: Config, dataDir: string): Promise<string[] | undefined> {
  const file = path.resolve(config.directoryFile);
  const loginsFile = path.join(dataDir, 'demo-logins.txt');
  if (config.nodeEnv === 'production') {
    if (!existsSync(file)) {
      process.stderr.write(
        `No directory of people at ${file}: create it with \`npm run directory -- add-town …\` / 请先用 npm run directory 建立人员名录\n`,
      );
      process.exit(1);
    }
    return undefined;
  }
  if (!existsSync(file)) {
    const { directory, logins } = await demoDirectory();
    saveDirectory(file, directory);
    const lines = logins.map((l) => `${l.userId.padEnd(26)} ${l.password}  ${l.name} · ${l.role} @ ${l.where}`);
    writeFileSync(loginsFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    say(`Seeded a demo district / 已建立演示数据: ${file}`);
  }
  return existsSync(loginsFile) ? readFileSync(loginsFile, 'utf8').trim().split('\n') : undefined;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`start failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
