import { canonicalJson } from './canonical-json';
import type { Field, ProcedureGraph } from './graph';
import type { MatterView } from './matter';
import { HIDDEN, hideLeaves } from './record-chain';

/**
 * The public view of a matter: everything (amounts, purposes, steps, who among the officials did
 * what, and when) except personal data of private persons — phone numbers, ID numbers, and the
 * names of individual payees, wherever they appear (record data and reasons, meeting records,
 * notices, warnings, the title). Members of the village read the full view.
 *
 * Pure: the API applies it for anonymous readers and to the record export for the public.
 */

export const REDACTED = HIDDEN;

/**
 * Mainland mobile numbers (optionally +86, optionally split 3-4-4), landlines with an area code
 * (028-12345678, (0838)1234567, 0838 1234567), resident ID numbers (18 digits, the last may be X;
 * the old 15-digit ones). Digit runs are bounded so that longer numbers (amounts, references) and
 * parts of them are not taken for one.
 */
export const PERSONAL_PATTERNS: readonly RegExp[] = [
  /(?<!\d)\d{17}[\dXx](?![\dXx])/g,
  /(?<!\d)\d{15}(?!\d)/g,
  /(?<![\d+])(?:\+?86[-\s]?)?1[3-9]\d(?:\d{8}|[-\s]\d{4}[-\s]\d{4})(?!\d)/g,
  /(?<!\d)(?:\(0\d{2,3}\)\s?|0\d{2,3}[-\s]?)\d{7,8}(?!\d)/g,
];

/** sha256 digests (record links, minutes, files) are not personal data, whatever digits they hold. */
const DIGEST = /^[0-9a-f]{64}$/;

/** Keys whose values are identifiers of the system, never free text. */
const STRUCTURAL_KEYS = new Set(['matterId', 'links', 'matters', 'objectionId', 'version', 'hash', 'prev']);

function isPersonal(field: Field, data: Record<string, unknown>): boolean {
  const rule = field.personal;
  if (rule === undefined) return false;
  return rule === true || data[rule.field] === rule.equals;
}

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The personal values a matter holds: fields marked `personal` in the BPMN (for the payee, only
 * when its kind is `individual`), as submitted at any step in the record, and in the step
 * variables if the view carries them.
 */
export function personalValues(view: MatterView, graph: ProcedureGraph): string[] {
  const found = new Set<string>();
  const collect = (stepId: string | null | undefined, data: unknown) => {
    const values = recordOf(data);
    const node = stepId ? graph.nodes[stepId] : undefined;
    if (!values || node?.type !== 'userTask') return;
    for (const field of node.step.fields) {
      const value = values[field.name];
      if (typeof value === 'string' && value.trim() !== '' && isPersonal(field, values)) found.add(value.trim());
    }
  };
  for (const entry of view.record) collect(entry.step, entry.data);
  const variables = recordOf((view as unknown as Record<string, unknown>).variables) ?? {};
  for (const [stepId, vars] of Object.entries(variables)) collect(stepId, vars);
  return [...found];
}

/** Masks the patterns and the given names in one text. */
export function redactText(text: string, names: readonly string[] = []): string {
  if (DIGEST.test(text)) return text;
  let out = text;
  // longest first, so that a name containing another is masked whole
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    // a one-character "name" would mask ordinary words: only a whole value equal to it goes
    if (name.length < 2) {
      if (out.trim() === name) out = REDACTED;
      continue;
    }
    out = out.split(name).join(REDACTED);
  }
  for (const pattern of PERSONAL_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

function redactValue(value: unknown, names: readonly string[], key?: string): unknown {
  if (key !== undefined && STRUCTURAL_KEYS.has(key)) return value;
  if (typeof value === 'string') return redactText(value, names);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, names));
  const object = recordOf(value);
  if (object) return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, redactValue(v, names, k)]));
  return value;
}

/**
 * The public view. In the record, a committed entry (common/record-chain.ts) hides each value that
 * holds personal data whole, proven by its digest, so the public copy verifies to the same head as
 * the full one; an entry from before commitments is masked as before and marked `redacted: true`
 * (its content cannot be proven from the public copy).
 */
export function redactMatterView(view: MatterView, graph: ProcedureGraph): MatterView {
  const names = personalValues(view, graph);
  const { record, ...rest } = view;
  const redacted = redactValue(rest, names) as Omit<MatterView, 'record'>;
  return {
    ...redacted,
    record: record.map((entry) => {
      if (typeof entry.salt === 'string') {
        const salted = { ...entry, salt: entry.salt };
        return hideLeaves(
          salted,
          (path, value) =>
            typeof value === 'string' &&
            !path.some((k) => typeof k === 'string' && STRUCTURAL_KEYS.has(k)) &&
            redactText(value, names) !== value,
        ) as typeof entry;
      }
      const { redacted: _mark, ...content } = entry;
      const masked = redactValue(content, names) as typeof content;
      return canonicalJson(masked) === canonicalJson(content) ? entry : { ...masked, redacted: true as const };
    }),
  };
}
