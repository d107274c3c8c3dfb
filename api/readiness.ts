import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

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
  timeoutMs?: number;
  now?: () => number;
}

/**
 * A poller is remembered by the server for minutes after its worker has gone; one whose last
 * poll started longer ago than a long poll lasts (about a minute) is not counted as alive.
 */
const POLLER_FRESH_MS = 90_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const timeoutMs = deps.timeoutMs ?? 3000;
  const now = deps.now ?? Date.now;
  const service = deps.client.workflowService;

  let temporalCheck: ReadinessCheck;
  try {
    await withTimeout(service.describeNamespace({ namespace: deps.namespace }), timeoutMs, 'Temporal');
    temporalCheck = { ok: true, detail: `namespace "${deps.namespace}" answers` };
  } catch (err) {
    temporalCheck = { ok: false, detail: `Temporal is not reachable: ${messageOf(err)}` };
  }

  let workerCheck: ReadinessCheck;
  if (!temporalCheck.ok) {
    workerCheck = { ok: false, detail: 'unknown until Temporal answers' };
  } else {
    try {
      const answer = await withTimeout(
        service.describeTaskQueue({
          namespace: deps.namespace,
          taskQueue: { name: deps.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
        timeoutMs,
        'Temporal',
      );
      const fresh = (answer.pollers ?? []).filter((poller) => {
        const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
        return now() - seconds * 1000 < POLLER_FRESH_MS;
      });
      workerCheck =
        fresh.length > 0
          ? { ok: true, detail: `${fresh.length} worker(s) polling task queue "${deps.taskQueue}"` }
          : { ok: false, detail: `no worker polls task queue "${deps.taskQueue}"` };
    } catch (err) {
      workerCheck = { ok: false, detail: `could not ask about task queue "${deps.taskQueue}": ${messageOf(err)}` };
    }
  }

  return { ready: temporalCheck.ok && workerCheck.ok, checks: { temporal: temporalCheck, worker: workerCheck } };
}
