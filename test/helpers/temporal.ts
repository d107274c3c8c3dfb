import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createWorker } from '../../worker/create-worker';
import { openProjection, type MatterProjection } from '../../stores/read-model';
import { testEnv } from './test-env';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TestTemporal {
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  namespace: string;
  close(): Promise<void>;
}

/** Connections to the run's real dev server (see test/global-setup.ts). */
export async function connectTestTemporal(): Promise<TestTemporal> {
  // Worker state changes at INFO would drown the test report.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const address = testEnv('address');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    client: new Client({ connection, namespace: 'default' }),
    connection,
    nativeConnection,
    namespace: 'default',
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

const projections = new Map<string, MatterProjection>();

/**
 * The projection a test's worker writes and its API reads: one file per task queue in the run's
 * directory, so that a worker in another process (test/helpers/worker-process.ts) finds it too.
 */
export function testProjection(taskQueue: string): MatterProjection {
  let projection = projections.get(taskQueue);
  if (!projection) {
    projection = openProjection(path.join(testEnv('tmpDir'), 'projections', `${taskQueue}.sqlite`));
    projections.set(taskQueue, projection);
  }
  return projection;
}

export function createTestWorker(temporal: TestTemporal, taskQueue: string): Promise<Worker> {
  return createWorker({
    projection: testProjection(taskQueue),
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundle: { codePath: testEnv('bundle') },
    activityDeps: { client: temporal.client },
  });
}
