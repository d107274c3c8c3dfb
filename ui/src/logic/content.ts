import type { Field, Label, ProcedureGraph } from '../../../common/graph';
import { disclosedBy } from '../../../common/disclosed-files';
import type { MatterView } from '../../../common/matter';

/**
 * What each step decided, in the words of the procedure: the fields a person filled in at a step
 * (a submission or a meeting record), with their labels and types from the graph. The record is the
 * source: it is what the workflow kept, redacted for the public by the API as it is everywhere else.
 */

export type ContentType = Field['type'] | 'meeting-body' | 'result';

export interface ContentItem {
  name: string;
  label: Label;
  type: ContentType;
  value: unknown;
}

export interface StepContent {
  step: string;
  /** the step's name, from the graph (the id when the graph is not known) */
  name: Label;
  seq: number;
  at: string;
  /** who filled it in: their name from the record, else their user id */
  by: string;
  role: string;
  action: string;
  items: ContentItem[];
}

const MEETING_ITEMS: { name: string; label: Label; type: ContentType }[] = [
  { name: 'body', label: { zh: '会议', en: 'Meeting body' }, type: 'meeting-body' },
  { name: 'date', label: { zh: '会议日期', en: 'Date of the meeting' }, type: 'date' },
  { name: 'members', label: { zh: '应到人数', en: 'Members who should attend' }, type: 'integer' },
  { name: 'present', label: { zh: '实到人数', en: 'Members present' }, type: 'integer' },
  { name: 'inFavour', label: { zh: '同意', en: 'In favour' }, type: 'integer' },
  { name: 'against', label: { zh: '反对', en: 'Against' }, type: 'integer' },
  { name: 'abstain', label: { zh: '弃权', en: 'Abstaining' }, type: 'integer' },
  { name: 'households', label: { zh: '全村户数', en: 'Households in the village' }, type: 'integer' },
  { name: 'householdsRepresented', label: { zh: '到会户代表数', en: 'Households represented' }, type: 'integer' },
  { name: 'minutesHash', label: { zh: '会议记录', en: 'Minutes' }, type: 'hash' },
];

/** The meeting-record items every meeting carries, besides the step's own fields. */
export const meetingItems = MEETING_ITEMS;

function stepFields(graph: ProcedureGraph | undefined, step: string): Field[] {
  const node = graph?.nodes[step];
  return node?.type === 'userTask' ? node.step.fields : [];
}

/** A user id → name map from the record (each entry names the person who acted). */
export function namesOf(view: Pick<MatterView, 'record'>): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of view.record) if (e.name && e.role !== 'system') names.set(e.userId, e.name);
  return names;
}

/**
 * The latest content of each step, in the order the steps were first filled in. A step sent back
 * and filled in again shows what it says now; the record keeps the earlier versions.
 */
export function stepContents(view: Pick<MatterView, 'record'>, graph: ProcedureGraph | undefined): StepContent[] {
  const latest = new Map<string, StepContent>();
  for (const e of view.record) {
    if (!e.step || !e.data || (e.action !== 'submit' && e.action !== 'record')) continue;
    const fields = stepFields(graph, e.step);
    const known = e.action === 'record' ? [...MEETING_ITEMS, ...fields] : fields;
    const items: ContentItem[] = [];
    for (const f of known) {
      const value = e.data[f.name];
      if (value === undefined || value === '') continue;
      items.push({ name: f.name, label: f.label, type: f.type, value });
    }
    // fields a newer procedure file no longer names are still shown, under their own name
    for (const [name, value] of Object.entries(e.data)) {
      if (known.some((f) => f.name === name) || value === undefined || value === '') continue;
      items.push({ name, label: { zh: name, en: name }, type: 'string', value });
    }
    const node = graph?.nodes[e.step];
    const content: StepContent = {
      step: e.step,
      name: node?.name ?? { zh: e.step, en: e.step },
      seq: e.seq,
      at: e.at,
      by: e.name ?? e.userId,
      role: e.role,
      action: e.action,
      items,
    };
    latest.delete(e.step);
    latest.set(e.step, content);
  }
  return [...latest.values()].sort((a, b) => a.seq - b.seq);
}

/** What a notice published at `publishedAt` shows: the contents filled in before it went up. */
export function disclosedContent(contents: StepContent[], publishedAt: string): StepContent[] {
  return contents.filter((c) => disclosedBy(c.at, publishedAt));
}

/** Whole days left until `endsAt` (rounded up; 0 when it has passed). */
export function daysLeft(endsAt: string | undefined, now: number): number | undefined {
  if (!endsAt) return undefined;
  const end = Date.parse(endsAt);
  if (Number.isNaN(end)) return undefined;
  return Math.max(0, Math.ceil((end - now) / 86_400_000));
}
