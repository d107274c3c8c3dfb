/**
 * Visibility queries, built in one place with one quoting style (Temporal's SQL-like list filter).
 * SQLite visibility has no ORDER BY / LIMIT / LIKE: only these comparisons are used.
 */

/** A string literal of the list filter: single quotes, backslash and quote escaped. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

type Literal = string | number | Date;

function literal(value: Literal): string {
  if (typeof value === 'number') return String(value);
  return quote(value instanceof Date ? value.toISOString() : value);
}

export const where = {
  eq: (name: string, value: Literal) => `${name} = ${literal(value)}`,
  ne: (name: string, value: Literal) => `${name} != ${literal(value)}`,
  lt: (name: string, value: Literal) => `${name} < ${literal(value)}`,
  gte: (name: string, value: Literal) => `${name} >= ${literal(value)}`,
  /** `name IN (…)`; for a keyword list, any of its values */
  in: (name: string, values: readonly Literal[]) => `${name} IN (${values.map(literal).join(', ')})`,
  isNull: (name: string) => `${name} IS NULL`,
  and: (...clauses: string[]) => clauses.map((c) => `(${c})`).join(' AND '),
  or: (...clauses: string[]) => clauses.map((c) => `(${c})`).join(' OR '),
};
