import type { ProcedureGraph } from './graph';
import type { MatterView } from './matter';

/**
 * 一事一公开: a notice discloses what the matter's steps said when it went up. A file a step
 * recorded then (minutes, a sign-in sheet, an appraisal report) is part of that notice, so the
 * public may read it; a file recorded after every notice (a contract signed after the result
 * notice, an invoice of a payment no notice covers) stays with the village.
 */

/** Whether what was filled in at `filledAt` is shown by a notice published at `publishedAt`. */
export function disclosedBy(filledAt: string, publishedAt: string): boolean {
  return Date.parse(filledAt) <= Date.parse(publishedAt);
}

const SHA256 = /^[0-9a-f]{64}$/;
/** the file every meeting record carries besides the step's own fields */
const MEETING_FILES = ['minutesHash'];

/** The files the matter's notices have made public: pass the public (redacted) view. */
export function disclosedFiles(view: Pick<MatterView, 'record' | 'notices'>, graph: ProcedureGraph): Set<string> {
  const files = new Set<string>();
  const lastNotice = view.notices.reduce<string | undefined>(
    (last, n) => (last === undefined || Date.parse(n.publishedAt) > Date.parse(last) ? n.publishedAt : last),
    undefined,
  );
  if (lastNotice === undefined) return files;
  for (const entry of view.record) {
    if (!entry.step || !entry.data || (entry.action !== 'submit' && entry.action !== 'record')) continue;
    if (!disclosedBy(entry.at, lastNotice)) continue;
    const node = graph.nodes[entry.step];
    const fileFields = [
      ...(node?.type === 'userTask' ? node.step.fields.filter((f) => f.type === 'hash').map((f) => f.name) : []),
      ...(entry.action === 'record' ? MEETING_FILES : []),
    ];
    for (const name of fileFields) {
      const value = entry.data[name];
      if (typeof value === 'string' && SHA256.test(value)) files.add(value);
    }
  }
  return files;
}
