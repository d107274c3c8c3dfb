import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { PING_WORKFLOW, type PingInput } from '../common/ping';

export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: { temporal: ReadinessCheck; worker: ReadinessCheck };
}

export interface ReadinessDeps {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** each call to Temporal gets this long (a gRPC deadline) */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * A poller is remembered by the server for minutes after its worker has gone; one whose last
 * poll started longer ago than a long poll lasts (about a minute) is not counted as alive.
 * An idle healthy worker re-polls only once a minute, so this alone cannot see a hung worker
 * quickly: the probe query below does.
 */
const POLLER_FRESH_MS = 90_000;

/**
 * The workflow the probe asks: a ping (common/ping.ts) that finished long ago. Asking it a query
 * makes a worker of the task queue replay it and answer, which a stopped (SIGSTOP) or wedged worker
 * cannot do within the deadline, while its pollers still look fresh to the server.
 */
export function probeWorkflowId(taskQueue: string): string {
  return `ping-readyz-${taskQueue}`;
}
const PROBE_INPUT: PingInput = { name: 'readyz', delaySeconds: 0 };
/** built into every TypeScript SDK workflow: needs no handler of ours */
const PROBE_QUERY = '__temporal_workflow_metadata';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Probe queries asked at once. Each is handed to one waiting poll of the task queue, and a stopped
 * (SIGSTOP) worker's polls stay waiting at the server until something is handed to them: with one
 * probe, /readyz said "not ready" whenever the probe landed there, although another worker served
 * every request (and a balancer that asks each API would have taken them all out of rotation). A
 * worker keeps two polls on the task queue by default (its other eight are on its sticky queue), yet
 * with three probes the first check after the stop still failed once in a CI run (the cause is not
 * pinned down; the server's task queue partitions forward polls and queries between them). Six leave
 * four probes beyond the two a stopped worker can swallow; when every worker is stopped, none answers.
 */
const PROBES = 6;

async function workerAnswers(deps: ReadinessDeps, deadline: () => number): Promise<void> {
  const { client } = deps;
  const workflowId = probeWorkflowId(deps.taskQueue);
  const ask = () => client.withDeadline(deadline(), () => client.workflow.getHandle(workflowId).query(PROBE_QUERY));
  try {
    await Promise.any(Array.from({ length: PROBES }, ask));
  } catch (failed) {
    const errors: unknown[] = failed instanceof AggregateError ? failed.errors : [failed];
    if (!errors.some((err) => err instanceof WorkflowNotFoundError)) throw errors[0];
    // First check on this task queue (or retention removed the old probe): run one, then it is asked.
    const handle = await client.withDeadline(deadline(), () =>
      client.workflow.start(PING_WORKFLOW, {
        taskQueue: deps.taskQueue,
        workflowId,
        args: [PROBE_INPUT],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      }),
    );
    await client.withDeadline(deadline(), () => handle.result());
  }
}

export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const timeoutMs = deps.timeoutMs ?? 3000;
  const now = deps.now ?? Date.now;
  const { client } = deps;
  const deadline = () => Date.now() + timeoutMs;

  let temporalCheck: ReadinessCheck;
  try {
    await client.withDeadline(deadline(), () =>
      client.workflowService.describeNamespace({ namespace: deps.namespace }),
    );
    temporalCheck = { ok: true, detail: `namespace "${deps.namespace}" answers` };
  } catch (err) {
    temporalCheck = { ok: false, detail: `Temporal is not reachable: ${messageOf(err)}` };
  }

  let workerCheck: ReadinessCheck;
  if (!temporalCheck.ok) {
    workerCheck = { ok: false, detail: 'unknown until Temporal answers' };
  } else {
    try {
      const answer = await client.withDeadline(deadline(), () =>
        client.workflowService.describeTaskQueue({
          namespace: deps.namespace,
          taskQueue: { name: deps.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      const fresh = (answer.pollers ?? []).filter((poller) => {
        const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
        return now() - seconds * 1000 < POLLER_FRESH_MS;
      });
      if (fresh.length === 0) {
        workerCheck = { ok: false, detail: `no worker polls task queue "${deps.taskQueue}"` };
      } else {
        try {
          await workerAnswers(deps, deadline);
          workerCheck = { ok: true, detail: `${fresh.length} worker(s) polling task queue "${deps.taskQueue}"` };
        } catch (err) {
          workerCheck = {
            ok: false,
            detail: `a worker polls task queue "${deps.taskQueue}" but did not answer within ${timeoutMs} ms (hung?): ${messageOf(err)}`,
          };
        }
      }
    } catch (err) {
      workerCheck = { ok: false, detail: `could not ask about task queue "${deps.taskQueue}": ${messageOf(err)}` };
    }
  }

  return { ready: temporalCheck.ok && workerCheck.ok, checks: { temporal: temporalCheck, worker: workerCheck } };
}

/**
 * /readyz asked by a balancer every second, by several, must not become load on Temporal: one check
 * at a time, its answer kept `ttlMs`. Short, so a hung worker shows within seconds.
 */
export function cachedReadiness(check: () => Promise<Readiness>, ttlMs: number): () => Promise<Readiness> {
  let cached: { until: number; result: Promise<Readiness> } | undefined;
  return () => {
    if (cached && Date.now() < cached.until) return cached.result;
    // Kept while it runs, then `ttlMs` from when it answered: a slow check is not started twice.
    const entry = { until: Number.POSITIVE_INFINITY, result: check() };
    const settled = () => {
      entry.until = Date.now() + ttlMs;
    };
    entry.result.then(settled, settled);
    cached = entry;
    return entry.result;
  };
}
