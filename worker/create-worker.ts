import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Bundled once (at build time, or once per test run) and reused by every worker. */
  workflowBundle?: WorkflowBundleOption;
  activityDeps?: Partial<ActivityDeps>;
}

export function workflowsPath(): string {
  return require.resolve('../workflows');
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const activities = createActivities({ now: () => new Date(), ...options.activityDeps });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: workflowsPath() }),
  });
}
