import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import type { MatterInput } from '../../common/matter';
import { HISTORIES_DIR, STATE_SUFFIX, recordedEnd, replayAll, type Replayed } from '../helpers/history-replay';
import { STATE_QUERY } from '../helpers/state-queries';

/**
 * Histories recorded from real runs (RECORD_HISTORIES=1, test/helpers/history-replay.ts) replayed
 * against today's workflow code. Two guards: the commands must be the ones recorded (else a running
 * matter breaks: make the change behind `patched()`), and what the code computes from the history —
 * the engine's whole state, the workflow's result or what it carries into its next run — must be what
 * it computed when the history was recorded (else running matters silently change their course).
 */

// One replay worker logs its state changes at INFO: keep the report readable.
Runtime.install({ logger: new DefaultLogger('WARN') });

interface HistoryJson {
  events: {
    workflowExecutionStartedEventAttributes?: {
      workflowType: { name: string };
      input: { payloads: { data: string }[] };
    };
  }[];
}

const files = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json') && !f.endsWith(STATE_SUFFIX))
  .sort();
const json = new Map(
  files.map((f) => [f, JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')) as HistoryJson]),
);
const stateFile = (file: string) => path.join(HISTORIES_DIR, `${path.basename(file, '.json')}${STATE_SUFFIX}`);
const recordedState = (file: string): unknown => JSON.parse(readFileSync(stateFile(file), 'utf8'));
const typeOf = (file: string) => json.get(file)?.events[0]?.workflowExecutionStartedEventAttributes?.workflowType.name;

/** A matter's history whose start input names another title: the same commands, another state. */
const ALTERED = 'altered-title';
const original = files.find((f) => typeOf(f) === 'matter') ?? '';
const altered = (() => {
  const history = structuredClone(json.get(original)) as HistoryJson;
  const payload = history.events[0]?.workflowExecutionStartedEventAttributes?.input.payloads[0];
  if (!payload) throw new Error('no matter history to alter');
  const input = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as MatterInput;
  payload.data = Buffer.from(JSON.stringify({ ...input, title: `${input.title} (altered)` })).toString('base64');
  return history;
})();

let replayed: Map<string, Replayed>;

beforeAll(async () => {
  replayed = await replayAll(new Map<string, unknown>([...json, [ALTERED, altered]]));
}, 600_000);

function replayOf(file: string): Replayed {
  const found = replayed.get(file);
  if (!found) throw new Error(`${file} was not replayed`);
  return found;
}

test('there are recorded histories to guard, each with the state it computed', () => {
  expect(files.length).toBeGreaterThanOrEqual(137);
  expect(files.filter((f) => !existsSync(stateFile(f)))).toEqual([]);
  // a workflow with a state query has its state kept (not nothing)
  expect(files.filter((f) => STATE_QUERY[typeOf(f) ?? ''] !== undefined && recordedState(f) === null)).toEqual([]);
});

test('given a history whose input differs but whose commands do not, then only the state guard fails', () => {
  const { error, state } = replayOf(ALTERED);
  expect(error).toBeUndefined();
  expect(state).not.toEqual(recordedState(original));
  const recorded = recordedState(original) as { matterId: string; title: string };
  expect(state).toMatchObject({ matterId: recorded.matterId, title: `${recorded.title} (altered)` });
});

describe.each(files)('given the recorded history %s', (file) => {
  test('then today’s code replays it without nondeterminism', () => {
    expect(replayOf(file).error).toBeUndefined();
  });

  test('then today’s code computes the state it recorded', () => {
    expect(replayOf(file).state ?? null).toEqual(recordedState(file));
  });

  test('then today’s code ends it (result or continue-as-new) as recorded', () => {
    const end = recordedEnd(json.get(file));
    const { result, continuedAsNew } = replayOf(file);
    if ('result' in end) expect(result).toEqual(end.result);
    if ('continuedAsNew' in end) expect(continuedAsNew).toEqual(end.continuedAsNew);
    if (Object.keys(end).length === 0) expect({ result, continuedAsNew }).toEqual({});
  });
});
