import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
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

/**
 * Counts a connection's calls still under way, retries included. The client retries a failed call on
 * a timer that closing the connection does not clear; a retry that fires after the close throws
 * "Channel has been shut down" outside any promise, and jest blames whichever test runs then (another
 * file's). So a test's connection closes once its calls have settled.
 */
export function callsUnderWay(): { interceptor: Interceptor; settled(capMs: number): Promise<void> } {
  let open = 0;
  const interceptor: Interceptor = (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        open += 1;
        let done = false;
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            if (!done) open -= 1;
            done = true;
            nextStatus(status);
          },
        });
      },
    });
  return {
    interceptor,
    async settled(capMs) {
      const end = Date.now() + capMs;
      while (open > 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}

/** Connections to the run's real dev server (see test/global-setup.ts). */
export async function connectTestTemporal(): Promise<TestTemporal> {
  // Worker state changes at INFO would drown the test report.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const address = testEnv('address');
  const calls = callsUnderWay();
  // the counter outside the client's own retries: a call counts until its last try has answered
  const interceptors = [calls.interceptor, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())];
  const connection = await Connection.connect({ address, interceptors });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    client: new Client({ connection, namespace: 'default' }),
    connection,
    nativeConnection,
    namespace: 'default',
    async close() {
      await calls.settled(20_000);
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
