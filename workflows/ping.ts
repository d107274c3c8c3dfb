import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PingInput, PingResult } from '../common/ping';

const { composeGreeting } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});

/** Waits the durable timer (it survives restarts of every process), then greets. */
export async function ping(input: PingInput): Promise<PingResult> {
  if (input.delaySeconds > 0) await sleep(input.delaySeconds * 1000);
  return composeGreeting(input.name);
}
