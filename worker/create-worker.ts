import { Runtime, Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { projectionSinks } from './projection-sink';
import { createActivities, type ActivityDeps } from '../activities';
import type { MatterProjection } from '../stores/read-model';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Bundled once (at build time, or once per test run) and reused by every worker. */
  workflowBundle?: WorkflowBundleOption;
  activityDeps?: Partial<ActivityDeps>;
  /** The matter projection the matters write their rows to, and the API reads (stores/read-model/projection.ts). */
  projection: MatterProjection;
  /** How many matters stay in memory between their tasks; default: what fits `memoryBytes` (`cachedWorkflowsFor`). */
  maxCachedWorkflows?: number;
  /** The worker process's resident memory budget (`WORKER_MEMORY_MIB`); default `DEFAULT_WORKER_MEMORY_BYTES`. */
  memoryBytes?: number;
}

export function workflowsPath(): string {
  return require.resolve('../workflows');
}

/** How the workflow bundle is built, wherever it is built (build-assets, the tests, a worker without a bundle). */
export function workflowBundleOptions(): { workflowsPath: string; preloadModules: string[] } {
  return { workflowsPath: workflowsPath(), preloadModules: [require.resolve('./workflow-preload')] };
}

const MiB = 2 ** 20;

/** `WORKER_MEMORY_MIB`'s default: a district's worker in 1 GiB, whatever the number of open matters. */
export const DEFAULT_WORKER_MEMORY_BYTES = 1024 * MiB;

/**
 * Resident memory of a worker holding no matter (the SDK's core, the workflow thread with its V8 context
 * and the bundle's shared modules, the activities), rounded up from `npm run bench -- --only=scale`
 * (README, "Measured").
 */
export const WORKER_BASE_BYTES = 320 * MiB;

/**
 * Resident memory one cached matter holds, rounded up from the same bench: its own copy of the engine's
 * modules and of zod (the SDK's reusable context gives each workflow its own module cache; only
 * worker/workflow-preload.ts is shared), its state and graph, the SDK's bookkeeping.
 */
export const BYTES_PER_CACHED_MATTER = 2.5 * MiB;

/**
 * The workflow cache sized to a memory budget, not to the number of open matters: a matter waiting for
 * people holds nothing; one evicted replays its history when it next acts. The workflow thread's memory
 * is not in the main thread's heap statistics, so the budget is resident memory.
 */
export function cachedWorkflowsFor(
  memoryBytes: number,
  bytesPerMatter = BYTES_PER_CACHED_MATTER,
  baseBytes = WORKER_BASE_BYTES,
): number {
  return Math.max(10, Math.floor((memoryBytes - baseBytes) / bytesPerMatter));
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const activities = createActivities({
    now: () => new Date(),
    ...options.activityDeps,
    projection: options.projection,
  });
  // Resolved only when bundling here: a worker given a built bundle may run where the sources are not.
  const bundling = () => {
    const bundle = workflowBundleOptions();
    return { workflowsPath: bundle.workflowsPath, bundlerOptions: { preloadModules: bundle.preloadModules } };
  };
  return Worker.create({
    connection: options.connection,
    sinks: projectionSinks(options.projection, (err, matterId) => {
      Runtime.instance().logger.warn('projection row not written, will retry / 读模型写入失败，稍后重试', {
        matterId,
        error: err instanceof Error ? err.message : String(err),
      });
    }),
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    maxCachedWorkflows:
      options.maxCachedWorkflows ?? cachedWorkflowsFor(options.memoryBytes ?? DEFAULT_WORKER_MEMORY_BYTES),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : bundling()),
  });
}
