import { getHeapStatistics } from 'node:v8';
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Bundled once (at build time, or once per test run) and reused by every worker. */
  workflowBundle?: WorkflowBundleOption;
  activityDeps?: Partial<ActivityDeps>;
  /** How many matters stay in memory between their tasks; default: what fits the heap (`cachedWorkflowsFor`). */
  maxCachedWorkflows?: number;
}

export function workflowsPath(): string {
  return require.resolve('../workflows');
}

/** How the workflow bundle is built, wherever it is built (build-assets, the tests, a worker without a bundle). */
export function workflowBundleOptions(): { workflowsPath: string; preloadModules: string[] } {
  return { workflowsPath: workflowsPath(), preloadModules: [require.resolve('./workflow-preload')] };
}

/**
 * Memory one cached matter holds, measured by `npm run bench -- --only=scale` (README, "Measured"),
 * rounded up: its state, graph and SDK bookkeeping once the engine's modules are shared.
 */
export const BYTES_PER_CACHED_MATTER = 512 * 1024;

/**
 * The workflow cache sized to the heap: at most half of it for cached matters, the rest for the
 * activities, the SDK and replays. Evicted matters replay from history when they next act.
 */
export function cachedWorkflowsFor(heapLimitBytes: number, bytesPerMatter = BYTES_PER_CACHED_MATTER): number {
  return Math.max(10, Math.floor(heapLimitBytes / 2 / bytesPerMatter));
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const activities = createActivities({ now: () => new Date(), ...options.activityDeps });
  // Resolved only when bundling here: a worker given a built bundle may run where the sources are not.
  const bundling = () => {
    const bundle = workflowBundleOptions();
    return { workflowsPath: bundle.workflowsPath, bundlerOptions: { preloadModules: bundle.preloadModules } };
  };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    maxCachedWorkflows: options.maxCachedWorkflows ?? cachedWorkflowsFor(getHeapStatistics().heap_size_limit),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : bundling()),
  });
}
