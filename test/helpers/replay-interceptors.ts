/**
 * Workflow interceptors bundled only into the replay guard's bundle (test/helpers/history-replay.ts):
 * while a recorded history replays, they report what today's code computes from it — the state a
 * workflow's state query would answer after each activation, its result, and what it carries over a
 * continue-as-new — through a sink that is called during replay. They add no command, so they cannot
 * change what is replayed.
 */
import { proxySinks, workflowInfo, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
// The registered query handlers: no public API calls a query from inside a workflow, and replay
// takes no queries from outside. If this internal moves, the guard fails loudly (no state seen).
import { maybeGetActivator } from '@temporalio/workflow/lib/global-attributes';
import { STATE_QUERY } from './state-queries';

export interface ReplaySinks extends Sinks {
  replayed: {
    state(state: unknown): void;
    result(result: unknown): void;
    continuedAsNew(args: unknown[]): void;
  };
}

const { replayed } = proxySinks<ReplaySinks>();

/** A plain copy, so the test compares what JSON would carry (as the recorded snapshot does). */
const plain = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        const result = await next(input);
        replayed.result(plain(result));
        return result;
      },
    },
  ],
  outbound: [
    {
      async continueAsNew(input, next) {
        replayed.continuedAsNew(plain(input.args) as unknown[]);
        return next(input);
      },
    },
  ],
  internals: [
    {
      concludeActivation(input, next) {
        const query = STATE_QUERY[workflowInfo().workflowType];
        const handler = query === undefined ? undefined : maybeGetActivator()?.queryHandlers.get(query);
        if (handler) replayed.state(plain(handler.handler()));
        return next(input);
      },
    },
  ],
});
