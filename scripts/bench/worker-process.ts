import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createWorker } from '../../worker/create-worker';
import { openProjection } from '../../stores/read-model';

/**
 * The bench's worker, in its own process so that its memory is measured alone: the project's worker
 * (the built bundle) and the bare yardstick's. Answers `{type: 'usage'}` messages with its memory and CPU.
 */

export interface WorkerUsage {
  rss: number;
  heapUsed: number;
  cpuMs: number;
  maxCachedWorkflows: number;
}

export interface WorkerProcessArgs {
  address: string;
  taskQueue: string;
  /** absent: no bare worker in this process */
  bareTaskQueue?: string;
  bundle: string;
  /** the matter projection the API reads */
  projectionFile: string;
  maxCachedWorkflows?: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as WorkerProcessArgs;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const native = await NativeConnection.connect({ address: args.address });
  const connection = await Connection.connect({ address: args.address });
  const client = new Client({ connection, namespace: 'default' });
  const worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue: args.taskQueue,
    workflowBundle: { codePath: args.bundle },
    activityDeps: { client },
    projection: openProjection(args.projectionFile),
    ...(args.maxCachedWorkflows ? { maxCachedWorkflows: args.maxCachedWorkflows } : {}),
  });
  const bare = args.bareTaskQueue
    ? await Worker.create({
        connection: native,
        namespace: 'default',
        taskQueue: args.bareTaskQueue,
        workflowBundle: await bundleWorkflowCode({
          workflowsPath: require.resolve('./bare-workflow'),
          logger: new DefaultLogger('ERROR'),
        }),
      })
    : undefined;
  const running = Promise.all([worker.run(), bare?.run()]);
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'usage') {
      (global as { gc?: () => void }).gc?.();
      const cpu = process.cpuUsage();
      const usage: WorkerUsage = {
        rss: process.memoryUsage.rss(),
        heapUsed: process.memoryUsage().heapUsed,
        cpuMs: (cpu.user + cpu.system) / 1000,
        maxCachedWorkflows: worker.options.maxCachedWorkflows,
      };
      process.send?.({ type: 'usage', usage });
    } else if (message.type === 'stop') {
      worker.shutdown();
      bare?.shutdown();
    }
  });
  process.send?.({ type: 'ready' });
  await running;
  await connection.close();
  await native.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
