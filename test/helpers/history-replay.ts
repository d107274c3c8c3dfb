/**
 * The replay guard's two halves: the recorder that keeps every recorded history (append-only) with a
 * snapshot of the state the code computed from it, and the replay that runs today's code over a
 * history and reports what it computes — so a change in behaviour of a running matter fails even
 * when its commands stay the same.
 */
import { isDeepStrictEqual } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, Worker, bundleWorkflowCode, type InjectedSinks } from '@temporalio/worker';
import type { MatterInput } from '../../common/matter';
import { workflowBundleOptions } from '../../worker/create-worker';
import { projectionSinks } from '../../worker/projection-sink';
import type { ReplaySinks } from './replay-interceptors';
import { STATE_QUERY } from './state-queries';

export type History = temporal.api.history.v1.IHistory;

export const HISTORIES_DIR = path.join(__dirname, '..', 'fixtures', 'histories');
/** Beside `<name>.json`, the state today's code computed from it when it was recorded. */
export const STATE_SUFFIX = '.state.json';

/** What replaying one history computed: the last state, and the result or continue-as-new arguments. */
export interface Replayed {
  error?: unknown;
  state?: unknown;
  result?: unknown;
  continuedAsNew?: unknown[];
}

let bundle: Promise<string> | undefined;

/** The workflows with the replay interceptors, bundled once per test process. */
function replayBundle(): Promise<string> {
  bundle ??= bundleWorkflowCode({
    ...workflowBundleOptions(),
    workflowInterceptorModules: [require.resolve('./replay-interceptors')],
    logger: new DefaultLogger('WARN'),
  }).then((b) => b.code);
  return bundle;
}

/** Replays each history (a History or its JSON) with today's code; each is named by its key in the map. */
export async function replayAll(histories: Map<string, unknown>): Promise<Map<string, Replayed>> {
  const seen = new Map<string, Replayed>([...histories.keys()].map((name) => [name, {}]));
  const at = (workflowId: string): Replayed => {
    const found = seen.get(workflowId);
    if (!found) throw new Error(`a replay reported on ${workflowId}, which is not one of the histories`);
    return found;
  };
  // Values made in the workflow's sandbox have its prototypes: copied here into plain host objects.
  const host = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const sinks: InjectedSinks<ReplaySinks> = {
    ...projectionSinks(),
    replayed: {
      state: { fn: (info, state) => void (at(info.workflowId).state = host(state)), callDuringReplay: true },
      result: { fn: (info, result) => void (at(info.workflowId).result = host(result)), callDuringReplay: true },
      continuedAsNew: {
        fn: (info, args) => void (at(info.workflowId).continuedAsNew = host(args) as unknown[]),
        callDuringReplay: true,
      },
    },
  };
  const code = await replayBundle();
  const items = [...histories].map(([workflowId, history]) => ({ workflowId, history }));
  for await (const { workflowId, error } of Worker.runReplayHistories({ workflowBundle: { code }, sinks }, items)) {
    if (error) at(workflowId).error = error;
  }
  return seen;
}

/** How a history ended, as recorded: its result, or what it carried into its next run. */
export function recordedEnd(json: unknown): { result?: unknown; continuedAsNew?: unknown[] } {
  const events = historyFromJSON(json).events ?? [];
  const last = events[events.length - 1];
  const completed = last?.workflowExecutionCompletedEventAttributes?.result?.payloads;
  if (completed) return { result: completed[0] ? defaultPayloadConverter.fromPayload(completed[0]) : undefined };
  const continued = last?.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads;
  if (continued) return { continuedAsNew: continued.map((p) => defaultPayloadConverter.fromPayload(p)) };
  return {};
}

/**
 * A recording's name: what runs (the procedure id, or the workflow type) @ its version (the
 * procedure's content hash; a workflow without a procedure: the recording's own hash) -- the scenario.
 */
export function historyName(history: History, scenario: string, json: string): string {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const type = started?.workflowType?.name ?? 'workflow';
  const input = started?.input?.payloads?.[0];
  const graph = type === 'matter' && input ? defaultPayloadConverter.fromPayload<MatterInput>(input).graph : undefined;
  const version = graph?.version ?? shortHash(json);
  const slug = scenario
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80)
    .toLowerCase();
  return `${graph?.id ?? type}@${version}--${slug}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * The recorder (RECORD_HISTORIES=1): writes the history and the state today's code computes from
 * it beside the ones already there. It never overwrites a file: a name taken by an earlier recording
 * gets the new recording's own hash appended, and the write itself refuses an existing file.
 * For a workflow that has closed, the state the replay computed must be the one the running workflow
 * answers its state query with (`handle`, on the server). Returns the name written.
 */
export async function recordHistory(
  history: History,
  scenario: string,
  handle: WorkflowHandle,
  dir = HISTORIES_DIR,
): Promise<string> {
  const json = historyToJSON(history);
  const base = historyName(history, scenario, json);
  const replayed = (await replayAll(new Map([[base, history]]))).get(base);
  if (!replayed || replayed.error)
    throw new Error(`${base} does not replay with today's code: ${String(replayed?.error)}`);
  const query = STATE_QUERY[history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? ''];
  const closed = Object.keys(recordedEnd(JSON.parse(json))).length > 0;
  if (query !== undefined && closed) {
    const live: unknown = JSON.parse(JSON.stringify(await handle.query<unknown>(query)));
    if (!isDeepStrictEqual(live, replayed.state))
      throw new Error(`${base}: the state replayed from the history is not the state the workflow held`);
  }
  mkdirSync(dir, { recursive: true });
  for (const name of [base, `${base}--${shortHash(json)}`]) {
    try {
      writeFileSync(path.join(dir, `${name}.json`), json, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    writeFileSync(path.join(dir, `${name}${STATE_SUFFIX}`), `${JSON.stringify(replayed.state ?? null, null, 1)}\n`, {
      flag: 'wx',
    });
    return name;
  }
  throw new Error(`${base}: this very recording is already kept`);
}
