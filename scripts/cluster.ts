import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { demoDirectory } from '../api/directory/demo';
import { saveDirectory } from '../stores/directory';
import { freePort, isPortFree } from './ports';
import { KEEP_CLOSED_DAYS, ensureRetention } from './retention';
import { registerSearchAttributes } from './search-attributes';
import { Supervised, describeEvent, type ChildSpec } from './supervisor';

/**
 * `npm run cluster`: the production shape of docker-compose.yml on one machine, without Docker.
 *
 *   PostgreSQL 15 (Debian's, its own data directory, run as the `postgres` user when we are root)
 *   → schema (deploy/temporal/schema-setup.sh, as in compose)
 *   → Temporal server built from go.temporal.io/server (scripts/cluster-build-temporal.sh), started
 *     with deploy/temporal/config/production.yaml and its dynamic config, exactly as in compose
 *   → namespace, retention and the search attributes of common/search-attributes.ts
 *   → 2 workers, 2 API processes → HAProxy (Debian's) in front of the APIs on CLUSTER_PORT.
 *
 * Every process is supervised (scripts/supervisor.ts): one that dies is started again with backoff,
 * and all of them die with this process. The state (pids, ports, URL) is written to
 * CLUSTER_DIR/cluster.json at each change, for the fault test (test/cluster/).
 */

const ROOT = path.resolve(__dirname, '..', '..');
const DEPLOY = path.join(ROOT, 'deploy', 'temporal');
const PG_BIN = '/usr/lib/postgresql/15/bin';
const HAPROXY = '/usr/sbin/haproxy';
const NAMESPACE = 'default';
const TASK_QUEUE = 'matters';
const DB_USER = 'temporal';

export interface ClusterState {
  ready: boolean;
  url: string;
  temporalAddress: string;
  dir: string;
  /** name → pid (undefined while it is down) and how often it has been restarted */
  children: Record<string, { pid: number | undefined; restarts: number }>;
}

function say(line: string): void {
  process.stdout.write(`[cluster] ${line}\n`);
}

function run(command: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, {
    env: env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

/** Debian's packages for PostgreSQL and HAProxy, installed when missing (as root). */
function ensurePackages(): void {
  const missing = [
    ['postgresql-15', path.join(PG_BIN, 'postgres')],
    ['haproxy', HAPROXY],
  ].filter(([, file]) => !existsSync(file!));
  if (missing.length === 0) return;
  const names = missing.map(([name]) => name!);
  if (process.getuid?.() !== 0)
    throw new Error(`needs Debian's ${names.join(' ')}: apt-get install -y ${names.join(' ')}`);
  say(`installing ${names.join(', ')} (apt-get) …`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...names], {
    ...process.env,
    DEBIAN_FRONTEND: 'noninteractive',
  });
}

/** The Temporal server and SQL tool, built once into .tools/ (scripts/cluster-build-temporal.sh). */
function ensureTemporalServer(): string {
  say('Temporal server: building or reusing the one in .tools/ …');
  const result = spawnSync('bash', [path.join(ROOT, 'scripts', 'cluster-build-temporal.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error('building the Temporal server failed (see above)');
  return result.stdout.trim().split('\n').pop() ?? '';
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
    await sleep(300);
  }
}

/** Namespace (ten years' retention) and search attributes; safe to repeat. */
async function prepareNamespace(address: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
    } catch {
      try {
        await connection.workflowService.registerNamespace({
          namespace: NAMESPACE,
          workflowExecutionRetentionPeriod: msToTs(KEEP_CLOSED_DAYS * 86_400_000),
        });
        say(`namespace ${NAMESPACE} registered`);
      } catch (err) {
        if (!/already exists/i.test(err instanceof Error ? err.message : String(err))) throw err;
      }
    }
    // A new namespace reaches every cache of the server within ~10 s: retry until it takes them.
    await waitFor('the search attributes', 60_000, async () => {
      const added = await registerSearchAttributes(connection, NAMESPACE);
      if (added.length > 0) say(`search attributes registered: ${added.join(', ')}`);
      return true;
    });
    await ensureRetention(connection, NAMESPACE);
  } finally {
    await connection.close();
  }
}

function haproxyConfig(port: number, apis: number[]): string {
  // Health by /healthz (the process serves): an API that is down is skipped within ~2 s; /readyz
  // says whether the whole system can act and stays the API's own answer to give.
  // A request whose connection failed, or that got no answer, goes to the other API (POSTs carry
  // Idempotency-Keys, so sending one again applies it once).
  return `global
    maxconn 2000

defaults
    mode http
    option http-buffer-request
    timeout connect 2s
    timeout client 60s
    timeout server 40s
    timeout http-request 10s
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
    # The APIs see the client's address (log-in limits per address), trusting only this proxy.
    option forwardfor

frontend www
    bind 127.0.0.1:${port}
    default_backend api

backend api
    balance roundrobin
    option httpchk GET /healthz
    default-server inter 1s fall 2 rise 1 fastinter 500ms
${apis.map((p, i) => `    server api-${i + 1} 127.0.0.1:${p} check`).join('\n')}
`;
}

export async function main(): Promise<void> {
  const dir = path.resolve(process.env.CLUSTER_DIR ?? path.join(ROOT, 'data', 'cluster'));
  const port = Number(process.env.CLUSTER_PORT ?? 3100);
  const workers = Number(process.env.CLUSTER_WORKERS ?? 2);
  const apis = Number(process.env.CLUSTER_APIS ?? 2);
  const password = process.env.POSTGRES_PASSWORD ?? 'temporal';
  const asRoot = process.getuid?.() === 0;

  ensurePackages();
  const temporalDir = ensureTemporalServer();

  const pgData = path.join(dir, 'postgres');
  const logs = path.join(dir, 'logs');
  const appData = path.join(dir, 'app');
  for (const d of [dir, logs, appData]) mkdirSync(d, { recursive: true });
  // PostgreSQL runs as its own user: it must be able to reach its directory.
  chmodSync(dir, 0o755);
  const pgUser = asRoot ? 'postgres' : undefined;

  // ---- PostgreSQL: initdb once, then a supervised postmaster on a free port ----
  if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
    rmSync(pgData, { recursive: true, force: true });
    mkdirSync(pgData, { mode: 0o700 });
    const pwfile = path.join(pgData, '..', 'pg-password');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (pgUser) {
      const { uid, gid } = userIds(pgUser);
      chownSync(pgData, uid, gid);
      chownSync(pwfile, uid, gid);
    }
    say('initdb …');
    const initdb = [
      path.join(PG_BIN, 'initdb'),
      '-D',
      pgData,
      '-U',
      DB_USER,
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--no-locale',
      '-E',
      'UTF8',
    ];
    if (pgUser) run('setpriv', ['--reuid', pgUser, '--regid', pgUser, '--init-groups', '--', ...initdb]);
    else run(initdb[0]!, initdb.slice(1));
    rmSync(pwfile);
  }

  const pgPort = await freePort();
  const ports = {
    FRONTEND_GRPC_PORT: await freePort(),
    FRONTEND_HTTP_PORT: await freePort(),
    FRONTEND_MEMBERSHIP_PORT: await membershipPort(),
    MATCHING_GRPC_PORT: await freePort(),
    MATCHING_MEMBERSHIP_PORT: await membershipPort(),
    HISTORY_GRPC_PORT: await freePort(),
    HISTORY_MEMBERSHIP_PORT: await membershipPort(),
    WORKER_GRPC_PORT: await freePort(),
    WORKER_MEMBERSHIP_PORT: await membershipPort(),
  };
  const temporalAddress = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;

  const children = new Map<string, Supervised>();
  let ready = false;
  let stopping = false;
  const state = (): ClusterState => ({
    ready,
    url: `http://127.0.0.1:${port}`,
    temporalAddress,
    dir,
    children: Object.fromEntries([...children].map(([name, c]) => [name, { pid: c.pid, restarts: c.restarts }])),
  });
  const writeState = () => writeFileSync(path.join(dir, 'cluster.json'), `${JSON.stringify(state(), null, 2)}\n`);
  const supervise = (spec: ChildSpec): Supervised => {
    const child = new Supervised(spec, (event) => {
      if (stopping) return;
      say(describeEvent(event));
      // The pid is known once spawned; an exit is written at once too.
      setImmediate(writeState);
    });
    children.set(spec.name, child);
    child.start();
    return child;
  };
  const logTo = (name: string): ['ignore', number, number] => {
    const fd = openSync(path.join(logs, `${name}.log`), 'a');
    return ['ignore', fd, fd];
  };

  const stopAll = async (code: number, reason?: string): Promise<never> => {
    if (!stopping) {
      stopping = true;
      if (reason) process.stderr.write(`${reason}\n`);
      say('stopping …');
      const order = [
        ['haproxy'],
        [...children.keys()].filter((n) => /^(api|worker)-/.test(n)),
        ['temporal'],
        ['postgres'],
      ];
      for (const names of order) {
        await Promise.all(names.flatMap((n) => children.get(n)?.stop() ?? []));
      }
      ready = false;
      writeState();
      say('stopped');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    supervise({
      name: 'postgres',
      command: path.join(PG_BIN, 'postgres'),
      args: ['-D', pgData, '-p', String(pgPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      user: pgUser,
      // Fast shutdown: roll back open transactions, then stop.
      stopSignal: 'SIGINT',
      stopTimeoutMs: 30_000,
      stdio: logTo('postgres'),
    });
    await waitFor(
      'PostgreSQL',
      60_000,
      async () => spawnSync(path.join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(pgPort)]).status === 0,
    );
    say(`PostgreSQL on 127.0.0.1:${pgPort}`);

    run('sh', [path.join(DEPLOY, 'schema-setup.sh')], {
      ...process.env,
      SQL_TOOL: path.join(temporalDir, 'temporal-sql-tool'),
      SCHEMA_DIR: path.join(temporalDir, 'schema'),
      SQL_HOST: '127.0.0.1',
      SQL_PORT: String(pgPort),
      SQL_USER: DB_USER,
      SQL_PASSWORD: password,
    });
    say('schema in place');

    supervise({
      name: 'temporal',
      // The same command line as docker-compose.yml's `temporal` service.
      command: path.join(temporalDir, 'temporal-server'),
      args: ['--config-file', path.join(DEPLOY, 'config', 'production.yaml'), 'start'],
      env: {
        ...process.env,
        DB: 'postgres12',
        DB_PORT: String(pgPort),
        POSTGRES_SEEDS: '127.0.0.1',
        POSTGRES_USER: DB_USER,
        POSTGRES_PWD: password,
        DBNAME: 'temporal',
        VISIBILITY_DBNAME: 'temporal_visibility',
        BIND_ON_IP: '127.0.0.1',
        DYNAMIC_CONFIG_FILE_PATH: path.join(DEPLOY, 'dynamicconfig', 'production-sql.yaml'),
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      },
      stopTimeoutMs: 30_000,
      stdio: logTo('temporal'),
    });
    await waitFor('the Temporal server', 120_000, () => canConnect(ports.FRONTEND_GRPC_PORT));
    await waitFor('the namespace', 120_000, async () => {
      await prepareNamespace(temporalAddress);
      return true;
    });
    say(`Temporal server on ${temporalAddress}`);

    // ---- the app: one directory, one session secret, one data dir, shared by every process ----
    const directoryFile = path.join(appData, 'directory.json');
    const loginsFile = path.join(appData, 'demo-logins.txt');
    if (!existsSync(directoryFile)) {
      const { directory, logins } = await demoDirectory();
      saveDirectory(directoryFile, directory);
      writeFileSync(loginsFile, `${logins.map((l) => `${l.userId} ${l.password}`).join('\n')}\n`, { mode: 0o600 });
    }
    const secretFile = path.join(appData, 'session-secret');
    if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(48).toString('base64'), { mode: 0o600 });
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      DATA_DIR: appData,
      DIRECTORY_FILE: directoryFile,
      SESSION_SECRET: readFileSync(secretFile, 'utf8').trim(),
    };
    const dist = path.join(ROOT, 'dist');
    for (let i = 1; i <= workers; i++) {
      supervise({
        name: `worker-${i}`,
        command: process.execPath,
        args: [path.join(dist, 'worker', 'main.js')],
        env: appEnv,
        cwd: ROOT,
        stdio: logTo(`worker-${i}`),
      });
    }
    const apiPorts: number[] = [];
    for (let i = 1; i <= apis; i++) {
      const apiPort = await freePort();
      apiPorts.push(apiPort);
      supervise({
        name: `api-${i}`,
        command: process.execPath,
        args: [path.join(dist, 'api', 'main.js')],
        // HAProxy, on loopback, is the one proxy whose X-Forwarded-For is believed.
        // HAProxy deals requests round robin: each API enforces its share of the rate limits.
        env: {
          ...appEnv,
          HOST: '127.0.0.1',
          PORT: String(apiPort),
          TRUST_PROXY: 'loopback',
          API_REPLICAS: String(apis),
        },
        cwd: ROOT,
        stdio: logTo(`api-${i}`),
      });
    }
    const haproxyCfg = path.join(dir, 'haproxy.cfg');
    writeFileSync(haproxyCfg, haproxyConfig(port, apiPorts));
    run(HAPROXY, ['-c', '-q', '-f', haproxyCfg]);
    supervise({ name: 'haproxy', command: HAPROXY, args: ['-db', '-f', haproxyCfg], stdio: logTo('haproxy') });

    await waitFor('the balancer /readyz', 120_000, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5000) });
      return res.status === 200;
    });
  } catch (err) {
    await stopAll(1, `cluster start failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  ready = true;
  writeState();
  say('ready / 集群已就绪');
  say(`  App (HAProxy → ${apis} APIs):  http://127.0.0.1:${port}`);
  say(`  Temporal gRPC:             ${temporalAddress}  (${workers} workers)`);
  say(`  PostgreSQL:                127.0.0.1:${pgPort}`);
  say(
    `  Logs, state, log-ins:      ${logs}, ${path.join(dir, 'cluster.json')}, ${path.join(appData, 'demo-logins.txt')}`,
  );
  say('Press Ctrl-C to stop / 按 Ctrl-C 停止');
}

/**
 * The server keeps membership ports in a PostgreSQL smallint (cluster_membership.rpc_port): they must be
 * below 32768, where the ports the OS hands out (32768 and up) never are. A free one from 20000–32767.
 */
async function membershipPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (await isPortFree(port)) return port;
  }
}

function userIds(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new Error(`no user ${user} (apt-get install postgresql-15 makes it)`);
  return { uid: Number(uid), gid: Number(gid) };
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`cluster failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
