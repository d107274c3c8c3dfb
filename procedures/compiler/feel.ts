import { parseExpression } from 'feelin';
import { feelName } from '../../common/engine';
import type { CompileContext, ConditionTest } from './context';
import { equalityTest, insideType, isBuiltin, isCallee, localNames, pathOf, type SyntaxNode } from './feel-syntax';
import type { El } from './moddle';

/** Lints a FEEL condition; when clean, also returns its `x = "lit"` shape if it has one (for the exhaustiveness proof). */
export function checkFeel(ctx: CompileContext, flow: El, source: string): { ok: boolean; test?: ConditionTest } {
  let tree: ReturnType<typeof parseExpression>;
  try {
    tree = parseExpression(source, feelContext(ctx, source), undefined);
  } catch (error) {
    ctx.problems.at(flow, 'feel-syntax', `FEEL condition "${source}" does not parse: ${String(error)}`);
    return { ok: false };
  }
  const nodes: SyntaxNode[] = [];
  tree.iterate({ enter: (ref) => void nodes.push(ref.node) });
  const broken = nodes.find((n) => n.type.isError);
  if (broken) {
    const near = source.slice(broken.from, broken.to);
    const what = near ? `unexpected "${near}"` : `incomplete ${broken.parent?.name ?? 'expression'}`;
    ctx.problems.at(
      flow,
      'feel-syntax',
      `FEEL condition "${source}" does not parse: ${what} at position ${broken.from + 1}`,
    );
    return { ok: false };
  }
  const locals = localNames(nodes, source);
  let ok = true;
  for (const node of nodes) {
    if (node.name !== 'VariableName' || insideType(node)) continue;
    const name = source.slice(node.from, node.to);
    if (isCallee(node)) ok = checkFunction(ctx, flow, name) && ok;
    else if (!locals.has(name)) ok = checkVariable(ctx, flow, source, name, pathOf(node, source)) && ok;
  }
  return ok ? { ok, test: equalityTest(tree.topNode, source) } : { ok };
}

/**
 * The names in scope, for the parser to read multi-word and dotted names the way the engine will.
 * Only the steps the text mentions: feelin's parser works through its whole context on every parse,
 * so the full context made compile time quadratic in the number of steps.
 */
function feelContext(ctx: CompileContext, source: string): Record<string, unknown> {
  const context: Record<string, unknown> = {
    policy: ctx.policyValues,
    matter: { village: null, procedure: null },
  };
  for (const name of source.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    const step = ctx.steps.get(name);
    if (step) context[name] = Object.fromEntries([...step.outputs.keys()].map((k) => [k, null]));
  }
  return context;
}

/** false when the call is refused. */
function checkFunction(ctx: CompileContext, flow: El, name: string): boolean {
  if (name === 'now' || name === 'today') {
    const message = `${name}() is refused: a condition must give the same answer on replay`;
    ctx.problems.at(flow, 'feel-nondeterministic', message);
    return false;
  }
  if (isBuiltin(name)) return true;
  ctx.problems.at(flow, 'feel-unknown-function', `FEEL condition calls unknown function ${name}()`);
  return false;
}

/** false when the read is refused, or reads a step that is itself broken (already reported). */
function checkVariable(ctx: CompileContext, flow: El, source: string, name: string, path: string[]): boolean {
  const [first] = path;
  if (name === 'policy') return checkPolicyRead(ctx, flow, path);
  if (name === 'matter') {
    if (first === undefined || first === 'village' || first === 'procedure') return true;
    const message = `FEEL condition reads matter.${first}; matter has village, procedure`;
    ctx.problems.at(flow, 'feel-unknown-variable', message);
    return false;
  }
  if (ctx.brokenSteps.has(name)) return false;
  const step = ctx.steps.get(name);
  if (!step) {
    const hyphenated = [...ctx.steps.values()].find((s) => s.id.includes('-') && source.includes(s.id));
    const hint = hyphenated ? ` (step ${hyphenated.id} is ${feelName(hyphenated.id)} in FEEL)` : '';
    ctx.problems.at(flow, 'feel-unknown-variable', `FEEL condition reads unknown variable ${name}${hint}`);
    return false;
  }
  if (first === undefined || step.outputs.has(first)) return true;
  const known = [...step.outputs.keys()].join(', ') || 'none';
  const message = `FEEL condition reads ${name}.${first}, but step ${step.id} (${step.kind}) has no output ${first} (outputs: ${known})`;
  ctx.problems.at(flow, 'feel-unknown-variable', message);
  return false;
}

function checkPolicyRead(ctx: CompileContext, flow: El, path: string[]): boolean {
  // Keys are flat and may contain dots: `policy.a.b.c` reads the longest key among a, a.b, a.b.c.
  for (let length = path.length; length > 0; length -= 1) {
    const key = path.slice(0, length).join('.');
    if (Object.hasOwn(ctx.policyValues, key)) {
      ctx.usedPolicy.add(key);
      return true;
    }
  }
  if (path.length === 0) {
    ctx.problems.at(flow, 'feel-unknown-variable', 'FEEL condition reads policy as a whole: read policy.<key>');
  } else {
    const read = ['policy', ...path].join('.');
    ctx.problems.at(flow, 'unknown-policy-key', `FEEL condition reads ${read}, which the policy does not define`);
  }
  return false;
}
