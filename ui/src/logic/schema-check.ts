import { fieldsSchema } from '../../../common/fields';
import type { Step } from '../../../common/graph';
import { MeetingCountsSchema } from '../../../common/meeting';

/**
 * The workflow's own zod schemas, run in the browser. Loaded on demand (a chunk of its own): zod is
 * most of the weight of the pages, and a resident who only reads never needs it.
 */

const COUNT_NAMES = ['members', 'present', 'inFavour', 'against', 'abstain', 'households', 'householdsRepresented'];

/** A schema's problems as `{field, message}` (the schema's own words; the page puts them in the reader's). */
function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return (result.error?.issues ?? []).map((i) => ({ field: String(i.path[0] ?? ''), message: i.message }));
}

function pick(data: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([k]) => names.includes(k)));
}

/** A meeting's counts against the schema the workflow uses (votes within those present, …). */
export function countsProblems(data: Record<string, unknown>): { field: string; message: string }[] {
  return issuesOf(MeetingCountsSchema.safeParse(pick(data, COUNT_NAMES)));
}

/**
 * The step's data against the very schemas the workflow's validator applies (common/fields.ts,
 * common/meeting.ts), so the browser refuses exactly what the server would.
 */
export function schemaProblems(
  def: Step | undefined,
  action: string,
  data: Record<string, unknown>,
): { field: string; message: string }[] {
  if (!def) return [];
  if (action === 'submit') return issuesOf(fieldsSchema(def.fields).safeParse(data));
  if (action === 'record') {
    const own = pick(
      data,
      def.fields.map((f) => f.name),
    );
    return [...countsProblems(data), ...issuesOf(fieldsSchema(def.fields).safeParse(own))];
  }
  return [];
}
