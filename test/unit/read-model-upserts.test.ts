import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * "Upsert search attributes only when they change" (issue 12), read from whole recorded runs
 * (test/fixtures/histories, recorded from the real server): in every history of a matter or an
 * opinion that publishes the read model, each upsert of the search attributes and of the memo
 * changes at least one value, so a run writes visibility no more often than its state changes.
 */

const DIR = path.join(__dirname, '..', 'fixtures', 'histories');

interface Payload {
  data?: string;
}
interface Event {
  eventType: string;
  workflowExecutionStartedEventAttributes?: {
    workflowType: { name: string };
    searchAttributes?: { indexedFields?: Record<string, Payload> };
    memo?: { fields?: Record<string, Payload> };
  };
  upsertWorkflowSearchAttributesEventAttributes?: { searchAttributes: { indexedFields?: Record<string, Payload> } };
  workflowPropertiesModifiedEventAttributes?: { upsertedMemo?: { fields?: Record<string, Payload> } };
  markerRecordedEventAttributes?: { markerName: string; details?: Record<string, { payloads?: Payload[] }> };
}

/** Set by the SDK with each patch marker: not the workflow's own upsert. */
const PATCH_ATTRIBUTE = 'TemporalChangeVersion';

function patchesOf(events: Event[]): string[] {
  return events.flatMap((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {})
      .flatMap((d) => d.payloads ?? [])
      .map((p) => (JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8')) as { id: string }).id),
  );
}

interface Run {
  file: string;
  type: string;
  events: Event[];
}

const runs: Run[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.state.json'))
  .map((file) => {
    const events = (JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as { events: Event[] }).events;
    return { file, type: events[0]?.workflowExecutionStartedEventAttributes?.workflowType.name ?? '', events };
  });
const publishing = runs.filter(
  (r) =>
    (r.type === 'matter' && patchesOf(r.events).includes('read-model-summary')) ||
    (r.type === 'opinion' && patchesOf(r.events).includes('opinion-read-model')),
);

/** Upserts (of search attributes or memo fields) that changed nothing, and how many upserts there were. */
function idleUpserts(run: Run): { upserts: number; memos: number; idle: string[] } {
  const started = run.events[0]?.workflowExecutionStartedEventAttributes;
  const attributes = new Map(
    Object.entries(started?.searchAttributes?.indexedFields ?? {}).map(([k, p]) => [k, p.data]),
  );
  const memo = new Map(Object.entries(started?.memo?.fields ?? {}).map(([k, p]) => [k, p.data]));
  const idle: string[] = [];
  let upserts = 0;
  let memos = 0;
  const apply = (into: Map<string, string | undefined>, fields: Record<string, Payload>, what: string, at: number) => {
    const changed = Object.entries(fields).filter(([k, p]) => into.get(k) !== p.data);
    if (changed.length === 0) idle.push(`${what} at event ${at}: ${Object.keys(fields).join(', ')}`);
    for (const [k, p] of Object.entries(fields)) into.set(k, p.data);
  };
  run.events.forEach((e, i) => {
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes.indexedFields;
    if (fields && !(PATCH_ATTRIBUTE in fields)) {
      upserts += 1;
      apply(attributes, fields, 'search attributes', i + 1);
    }
    const memoFields = e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields;
    if (memoFields) {
      memos += 1;
      apply(memo, memoFields, 'memo', i + 1);
    }
  });
  return { upserts, memos, idle };
}

describe('visibility is written only when it changes', () => {
  test('there are recorded runs of matters and opinions that publish the read model', () => {
    expect(publishing.filter((r) => r.type === 'matter').length).toBeGreaterThanOrEqual(10);
    expect(publishing.filter((r) => r.type === 'opinion').length).toBeGreaterThanOrEqual(3);
  });

  test.each(publishing.map((r) => [r.file, r] as const))(
    'given the run %s, then no upsert repeats what stands',
    (_, run) => {
      expect(idleUpserts(run).idle).toEqual([]);
    },
  );

  test('given a fund approval run from application to payment, then one upsert per change of who acts, not per task', () => {
    const run = publishing.find((r) =>
      r.file.includes('exactly-the-audit-threshold-then-the-town-review-leads-straight'),
    );
    if (!run) throw new Error('no recorded fund approval through payment with the read model');
    const updates = run.events.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED').length;
    const tasks = run.events.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED').length;
    const { upserts, memos } = idleUpserts(run);
    // every update here moves the matter on a step: each changes what lists show, once
    expect(updates).toBe(5);
    expect(upserts).toBeLessThanOrEqual(updates + 1);
    expect(memos).toBeLessThanOrEqual(updates + 1);
    expect(upserts).toBeLessThan(tasks);
  });
});
