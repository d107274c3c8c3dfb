import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The yardstick of `npm run bench -- --only=actions`: a bare Temporal workflow that takes the same
 * number of updates as a matter's path, with nothing else (no engine, no read model, no activities).
 */

export const bareStep = defineUpdate<number, [Record<string, unknown>]>('step');

export async function bare(updates: number): Promise<number> {
  let taken = 0;
  setHandler(bareStep, () => ++taken);
  await condition(() => taken >= updates);
  await condition(allHandlersFinished);
  return taken;
}
