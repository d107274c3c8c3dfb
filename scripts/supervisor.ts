import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Process supervision shared by `npm start` (scripts/start.ts) and `npm run cluster` (scripts/cluster.ts):
 * a child that dies is started again after a growing pause, and no child outlives its supervisor.
 *
 * Parent death: on Linux every child starts through util-linux's `setpriv --pdeathsig`, which sets
 * prctl(PR_SET_PDEATHSIG) and then execs the real program, so the kernel sends the child its stop
 * signal when the supervisor dies, even by SIGKILL (nothing in Node reaches prctl). Each child leads
 * its own process group, so a Ctrl-C at the terminal reaches the supervisor only, which stops the
 * children in order (the Temporal server last).
 */

const SETPRIV = '/usr/bin/setpriv';

export interface SpawnSpec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdio?: StdioOptions;
  /** Sent to stop the child gracefully, and by the kernel if the supervisor dies. Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** Run as this user (root only), e.g. PostgreSQL, which refuses to run as root. */
  user?: string;
}

/** Spawns `spec` so that it receives its stop signal when this process dies (Linux). */
export function spawnTied(spec: SpawnSpec): ChildProcess {
  const signal = spec.stopSignal ?? 'SIGTERM';
  const canTie = process.platform === 'linux' && existsSync(SETPRIV);
  if (spec.user !== undefined && !canTie) throw new Error(`running as ${spec.user} needs ${SETPRIV}`);
  const asUser =
    spec.user !== undefined && process.getuid?.() === 0
      ? ['--reuid', spec.user, '--regid', spec.user, '--init-groups']
      : [];
  const [command, args] = canTie
    ? [SETPRIV, [...asUser, '--pdeathsig', signal.replace(/^SIG/, ''), '--', spec.command, ...spec.args]]
    : [spec.command, spec.args];
  return spawn(command, args, { env: spec.env, cwd: spec.cwd, stdio: spec.stdio ?? 'inherit', detached: true });
}

export interface ChildSpec extends SpawnSpec {
  name: string;
  /** How long a graceful stop may take before SIGKILL. Default 15 s. */
  stopTimeoutMs?: number;
  /** Pause before the first restart; doubles on each quick death. Default 1 s. */
  backoffMs?: number;
  /** Longest pause between restarts. Default 30 s. */
  maxBackoffMs?: number;
  /** A child that ran this long before dying is restarted after the first pause again. Default 60 s. */
  stableMs?: number;
}

export type SupervisorEvent =
  | { kind: 'started'; name: string; pid: number; restarts: number }
  | { kind: 'exited'; name: string; pid: number; reason: string; restartInMs: number | undefined };

export class Supervised {
  private child: ChildProcess | undefined;
  private startedAt = 0;
  private backoff: number;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  restarts = 0;

  constructor(
    readonly spec: ChildSpec,
    private readonly emit: (event: SupervisorEvent) => void,
  ) {
    this.backoff = spec.backoffMs ?? 1000;
  }

  get pid(): number | undefined {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  start(): void {
    const child = spawnTied(this.spec);
    this.child = child;
    this.startedAt = Date.now();
    child.once('error', (err) => this.onExit(child, `could not start: ${err.message}`));
    child.once('exit', (code, signal) => this.onExit(child, signal ?? `code ${code}`));
    if (child.pid !== undefined)
      this.emit({ kind: 'started', name: this.spec.name, pid: child.pid, restarts: this.restarts });
  }

  private onExit(child: ChildProcess, reason: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    const first = this.spec.backoffMs ?? 1000;
    if (Date.now() - this.startedAt >= (this.spec.stableMs ?? 60_000)) this.backoff = first;
    const restartInMs = this.stopping ? undefined : this.backoff;
    this.emit({ kind: 'exited', name: this.spec.name, pid: child.pid ?? -1, reason, restartInMs });
    if (restartInMs === undefined) return;
    this.backoff = Math.min(this.backoff * 2, this.spec.maxBackoffMs ?? 30_000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopping) return;
      this.restarts += 1;
      this.start();
    }, restartInMs);
  }

  /** Graceful stop (stop signal, then SIGKILL after the timeout); no restart afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(this.spec.stopSignal ?? 'SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), this.spec.stopTimeoutMs ?? 15_000);
    await exited;
    clearTimeout(killer);
  }
}

/** Says what happened to a child in one line, for the supervisor's own output. */
export function describeEvent(event: SupervisorEvent): string {
  if (event.kind === 'started') {
    return event.restarts === 0
      ? `${event.name} started (pid ${event.pid})`
      : `${event.name} restarted (pid ${event.pid}, restart ${event.restarts}) / 已重启`;
  }
  return event.restartInMs === undefined
    ? `${event.name} stopped (${event.reason})`
    : `${event.name} exited (${event.reason}); restarting in ${event.restartInMs / 1000} s / ${event.restartInMs / 1000} 秒后重启`;
}
