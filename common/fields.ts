import { z } from 'zod';
import type { Field } from './graph';

/** Step fields (from the BPMN) become zod schemas: the same rules in the validator, the API and the UI. */

function fieldSchema(field: Field): z.ZodType {
  const name = field.name;
  switch (field.type) {
    case 'string':
    case 'text': {
      let s = z
        .string({ error: `${name} must be text` })
        .trim()
        .min(field.required ? 1 : 0, `${name} must not be empty`);
      const max = field.maxLength ?? (field.type === 'string' ? 200 : 5000);
      s = s.max(max, `${name} must be at most ${max} characters`);
      return s;
    }
    case 'amount':
    case 'number':
    case 'integer': {
      let n = z.number({ error: `${name} must be a number` });
      if (field.type === 'integer') n = n.int(`${name} must be a whole number`);
      const min = field.min ?? (field.type === 'amount' ? 0 : undefined);
      if (min !== undefined) n = n.min(min, `${name} must be at least ${min}`);
      if (field.max !== undefined) n = n.max(field.max, `${name} must be at most ${field.max}`);
      if (field.type === 'amount') {
        // yuan with at most 2 decimals (分); compare in fen to avoid 0.1 + 0.2 surprises
        return n.refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, `${name} must have at most 2 decimals`);
      }
      return n;
    }
    case 'date':
      return z
        .string({ error: `${name} must be a date` })
        .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a date YYYY-MM-DD`)
        .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), `${name} must be a real date`);
    case 'boolean':
      return z.boolean({ error: `${name} must be true or false` });
    case 'enum': {
      const values = field.values ?? [];
      return z.string().refine((v) => values.includes(v), `${name} must be one of ${values.join(', ')}`);
    }
    case 'hash':
      return z.string().regex(/^[0-9a-f]{64}$/, `${name} must be a sha256 hex digest`);
  }
}

/**
 * Built once per list of fields (a step's, in a graph that is pinned and never changes): building a
 * schema costs about 25 times checking data with it, and one action checks its step's data three
 * times (the update's validator, the update, the engine). Weak: a graph that goes takes its schemas.
 */
const built = new WeakMap<readonly Field[], z.ZodObject>();

export function fieldsSchema(fields: readonly Field[]): z.ZodObject {
  const known = built.get(fields);
  if (known) return known;
  const shape: Record<string, z.ZodType> = {};
  for (const field of fields) {
    const schema = fieldSchema(field);
    shape[field.name] = field.required ? schema : schema.optional();
  }
  const schema = z.object(shape).strict();
  built.set(fields, schema);
  return schema;
}
