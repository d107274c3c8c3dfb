import type { CompileContext } from './context';
import type { SyntaxNode } from './feel-syntax';
import type { El } from './moddle';

/**
 * Typed FEEL: a comparison of a step's output with a literal must compare like with like, and an
 * enum, decision or outcome only with one of its values. feelin gives null for `"a" < 3` or a typo'd
 * value, and null is "not taken": the gateway would quietly take its default, or no flow at all.
 */

const LITERAL_TYPES: Record<string, 'string' | 'number' | 'boolean' | undefined> = {
  StringLiteral: 'string',
  NumericLiteral: 'number',
  BooleanLiteral: 'boolean',
};

function kids(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (!c.name.endsWith('Comment')) list.push(c);
  return list;
}

/** `step.output` as [step, output], when the node is exactly that. */
function stepOutput(node: SyntaxNode, source: string): [string, string] | undefined {
  if (node.name !== 'PathExpression') return undefined;
  const [variable, name, ...rest] = kids(node).filter((k) => k.name !== '.');
  if (rest.length > 0 || variable?.name !== 'VariableName' || name?.name !== 'PathName') return undefined;
  return [source.slice(variable.from, variable.to), source.slice(name.from, name.to)];
}

/** false when some comparison is refused (each reported). */
export function checkTypes(ctx: CompileContext, flow: El, nodes: SyntaxNode[], source: string): boolean {
  let ok = true;
  for (const node of nodes) {
    if (node.name !== 'Comparison') continue;
    const [left, op, right, ...more] = kids(node);
    if (!left || !op || !right || more.length > 0 || op.name !== 'CompareOp') continue;
    const read = stepOutput(left, source) ?? stepOutput(right, source);
    const literal = stepOutput(left, source) ? right : left;
    const literalType = LITERAL_TYPES[literal.name];
    if (!read || !literalType) continue;
    const [stepName, output] = read;
    const type = ctx.steps.get(stepName)?.types.get(output);
    if (!type) continue;
    const raw = source.slice(literal.from, literal.to);
    const operator = source.slice(op.from, op.to);
    const comparison = source.slice(node.from, node.to);
    if (type.type !== literalType) {
      const message = `FEEL condition compares ${stepName}.${output} (a ${type.type}) with ${raw} (a ${literalType}) in "${comparison}": the comparison is never true`;
      ctx.problems.at(flow, 'feel-type', message);
      ok = false;
    } else if (type.values && (operator === '=' || operator === '!=') && !type.values.includes(canonical(raw))) {
      const message = `FEEL condition compares ${stepName}.${output} with ${raw}, which it never is (values: ${type.values.join(', ')})`;
      ctx.problems.at(flow, 'feel-unknown-value', message);
      ok = false;
    } else if (type.values && operator !== '=' && operator !== '!=') {
      const message = `FEEL condition orders ${stepName}.${output} with ${operator}, but its values have no order: compare with = or !=`;
      ctx.problems.at(flow, 'feel-type', message);
      ok = false;
    }
  }
  return ok;
}

function canonical(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? JSON.stringify(value) : raw;
  } catch {
    return raw;
  }
}

/**
 * `==` (most languages) and a leading `=` (Camunda 8) are not FEEL: feelin reads `a == "x"` as a
 * test that is always null. Refused before parsing, with the condition as it should be written.
 * A JUEL `${...}` (Camunda 7) gets the same treatment. Returns false when refused.
 */
export function checkDialect(ctx: CompileContext, flow: El, source: string): boolean {
  const outsideStrings = source.replace(/"(?:[^"\\]|\\.)*"/g, (s) => ' '.repeat(s.length));
  if (/^\s*\$\{[\s\S]*\}\s*$/.test(source)) {
    const message = `"${source}" is a JUEL expression (Camunda 7); conditions are FEEL: write the test without \${ }, with = for equality and and/or for && / ||`;
    ctx.problems.at(flow, 'condition-language', message);
    return false;
  }
  if (/^\s*=/.test(outsideStrings)) {
    const fixed = source.replace(/^\s*=\s*/, '');
    const message = `a leading "=" marks an expression in Camunda 8, but this file is plain FEEL: write ${fixed}`;
    ctx.problems.at(flow, 'feel-equality', message);
    return false;
  }
  if (/==/.test(outsideStrings)) {
    let fixed = '';
    for (let i = 0; i < source.length; i += 1) {
      const double = outsideStrings[i] === '=' && outsideStrings[i + 1] === '=';
      fixed += double ? '=' : (source[i] ?? '');
      if (double) i += 1;
    }
    const message = `FEEL compares with a single "=": write ${fixed}`;
    ctx.problems.at(flow, 'feel-equality', message);
    return false;
  }
  return true;
}
