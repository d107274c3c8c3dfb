import { z } from 'zod';
import { DurationSchema, type Duration } from './graph';

/**
 * How long the committee has to answer an objection raised while a given step is open, as policy
 * data: one duration per step, `objectionAnswer.<procedure>.<step>` (names in FEEL's camelCase, as
 * policy keys have no hyphens). The default comes from 招标投标法实施条例 Art. 54: an objection to
 * the candidates, raised during their disclosure, is answered within 3 days, and the tender waits
 * until it is. The API reads the values in force on the day of the objection and hands them to the
 * workflow with it (so they are pinned in history), keyed `<procedure>.<step>` without the prefix.
 */
export const OBJECTION_ANSWER_POLICY_PREFIX = 'objectionAnswer.';

export const ObjectionAnswerDeadlinesSchema = z.record(
  z.string().regex(/^[a-z][a-zA-Z0-9]*\.[a-z][a-zA-Z0-9]*$/, 'keys are <procedure>.<step> in camelCase'),
  DurationSchema,
);
export type ObjectionAnswerDeadlines = Record<string, Duration>;

/** The answer times in force, from the policy values of the day (none when the policy sets none). */
export function objectionDeadlinesFrom(values: Record<string, unknown>): ObjectionAnswerDeadlines {
  const entries = Object.entries(values)
    .filter(([key]) => key.startsWith(OBJECTION_ANSWER_POLICY_PREFIX))
    .map(([key, value]) => [key.slice(OBJECTION_ANSWER_POLICY_PREFIX.length), value]);
  return ObjectionAnswerDeadlinesSchema.parse(Object.fromEntries(entries));
}
