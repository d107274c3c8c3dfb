import { evaluate, type parseExpression } from 'feelin';
import type { ConditionTest } from './context';

/** Reading feelin's (lezer) syntax trees. */
export type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

/** feelin resolves a built-in's name to the function itself; anything else to null. */
export function isBuiltin(name: string): boolean {
  try {
    return typeof evaluate(name, {}).value === 'function';
  } catch {
    return false;
  }
}

function sameSpan(a: SyntaxNode | null, b: SyntaxNode): boolean {
  return a !== null && a.from === b.from && a.to === b.to;
}

export function isCallee(node: SyntaxNode): boolean {
  return node.parent?.name === 'FunctionInvocation' && sameSpan(node.parent.firstChild, node);
}

/** `x instance of number`: `number` is a type name, not a variable. */
export function insideType(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.name === 'Type') return true;
  return false;
}

/** Names the expression binds itself: iteration variables, parameters, context keys, a filter's `item`. */
export function localNames(nodes: SyntaxNode[], source: string): Set<string> {
  const locals = new Set<string>();
  for (const node of nodes) {
    const parent = node.parent?.name;
    if (node.name === 'Name' && (parent === 'InExpression' || parent === 'ParameterName' || parent === 'Key')) {
      locals.add(source.slice(node.from, node.to));
    }
    if (node.name === 'FilterExpression') locals.add('item');
  }
  return locals;
}

/** `a.b.c` read from its variable: ['b', 'c'] (a dotted context key arrives as one name, split again here). */
export function pathOf(variable: SyntaxNode, source: string): string[] {
  const segments: string[] = [];
  let current = variable;
  for (let parent = current.parent; parent?.name === 'PathExpression' && sameSpan(parent.firstChild, current);) {
    const last = parent.lastChild;
    if (last?.name === 'PathName')
      segments.push(
        ...source
          .slice(last.from, last.to)
          .split('.')
          .map((s) => s.trim()),
      );
    current = parent;
    parent = current.parent;
  }
  return segments;
}

function childNodes(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (!c.name.endsWith('Comment')) list.push(c);
  return list;
}

/** `step.output = "lit"`, `step.output != "lit"`, `step.output = true`, either way round; else undefined. */
export function equalityTest(top: SyntaxNode, source: string): ConditionTest | undefined {
  const [comparison, ...rest] = childNodes(top);
  if (!comparison || rest.length > 0 || comparison.name !== 'Comparison') return undefined;
  const [left, op, right, ...more] = childNodes(comparison);
  if (!left || !op || !right || more.length > 0 || op.name !== 'CompareOp') return undefined;
  const operator = source.slice(op.from, op.to);
  if (operator !== '=' && operator !== '!=') return undefined;
  const [path, value] = left.name === 'PathExpression' ? [left, right] : [right, left];
  const literal = literalOf(value, source);
  const parts = childNodes(path);
  const variable = parts[0];
  const property = parts[parts.length - 1];
  if (literal === undefined || path.name !== 'PathExpression' || variable?.name !== 'VariableName') return undefined;
  if (property?.name !== 'PathName') return undefined;
  return {
    variable: `${source.slice(variable.from, variable.to)}.${source.slice(property.from, property.to)}`,
    equals: operator === '=',
    literal,
  };
}

function literalOf(node: SyntaxNode, source: string): string | undefined {
  const raw = source.slice(node.from, node.to);
  if (node.name === 'BooleanLiteral') return raw;
  if (node.name !== 'StringLiteral') return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? JSON.stringify(value) : undefined;
  } catch {
    return undefined;
  }
}
