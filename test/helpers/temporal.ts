import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createWorker } from '../../worker/create-worker';
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

export function createTestWorker(temporal: TestTemporal, taskQueue: string): Promise<Worker> {
  return createWorker({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundle: { codePath: testEnv('bundle') },
    activityDeps: { client: temporal.client },
  });
}
