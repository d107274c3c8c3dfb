import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createWorker } from '../../worker/create-worker';
import { testProjection } from './temporal';

/**
 * A worker in a process of its own (test/helpers/worker-process.ts starts it), so a test can stop
 * it with SIGSTOP as an operator's fault would: everything of the process freezes, its sockets stay open.
 */
async function main(): Promise<void> {
  const [address, taskQueue, bundle] = [process.env.XWQL_ADDRESS, process.env.XWQL_TASK_QUEUE, process.env.XWQL_BUNDLE];
  if (!address || !taskQueue || !bundle) throw new Error('XWQL_ADDRESS, XWQL_TASK_QUEUE and XWQL_BUNDLE are needed');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
  const worker = await createWorker({
    connection: await NativeConnection.connect({ address }),
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: bundle },
    activityDeps: { client },
    // the file the test's API reads (the run's directory comes through the environment)
    projection: testProjection(taskQueue),
  });
  const running = worker.run();
  process.stdout.write('worker running\n');
  process.on('SIGTERM', () => worker.shutdown());
  await running;
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
