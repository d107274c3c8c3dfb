import type { Flow, GraphNode } from '../../common/graph';
import type { CompileContext, ConditionTest } from './context';
import { checkFeel } from './feel';
import { child, idOf, text, type El } from './moddle';

/** A sequence flow; a condition only on a flow leaving an exclusive gateway, and only FEEL. */
export function compileFlow(ctx: CompileContext, el: El): Flow | undefined {
  const id = idOf(el);
  const ends = ctx.flowEnds.get(id);
  if (!ends) return undefined;
  const zh = text(el, 'name');
  const en = text(el, 'nameEn');
  const name = zh || en ? { zh: zh ?? en ?? id, en: en ?? zh ?? id } : undefined;
  const expression = child(el, 'conditionExpression');
  const condition = expression ? text(expression, 'body') : undefined;
  const flow: Flow = { id, source: ends.source, target: ends.target, ...(name ? { name } : {}) };
  if (condition === undefined || !expression) return flow;

  const source = ctx.byId.get(ends.source);
  if (source?.$type !== 'bpmn:ExclusiveGateway') {
    ctx.problems.at(
      el,
      'condition-outside-exclusive-gateway',
      'only flows leaving an exclusive gateway carry conditions',
    );
    return flow;
  }
  if (source && child(source, 'default') === el) {
    ctx.problems.at(el, 'condition-on-default', 'a default flow is taken when no condition holds: it has none itself');
    return flow;
  }
  const language = text(expression, 'language');
  if (language !== undefined && !/feel/i.test(language)) {
    ctx.problems.at(el, 'condition-language', `conditions are FEEL, not ${language}`);
    return flow;
  }
  const checked = checkFeel(ctx, el, condition);
  if (checked.ok) ctx.conditionTests.set(id, checked.test);
  return { ...flow, condition };
}

/** Every way out of an exclusive gateway has a condition or is its default, and some way out always holds. */
export function checkGateway(ctx: CompileContext, gateway: El, nodes: Record<string, GraphNode>): void {
  const id = idOf(gateway);
  const outgoing = ctx.out(id);
  const defaultFlow = child(gateway, 'default');
  if (defaultFlow && !outgoing.includes(idOf(defaultFlow))) {
    ctx.problems.at(gateway, 'bad-default', `default flow ${idOf(defaultFlow)} does not leave this gateway`);
    return;
  }
  const node = nodes[id];
  const chosenDefault = node?.type === 'exclusiveGateway' ? node.default : undefined;
  const conditioned = outgoing.filter((f) => f !== chosenDefault);
  const unconditioned = conditioned.filter((f) => ctx.conditionText(f) === undefined);
  for (const flowId of unconditioned) {
    ctx.problems.add(
      flowId,
      'bpmn:sequenceFlow',
      'missing-condition',
      `leaves exclusive gateway ${id} without a condition and is not its default`,
    );
  }
  if (chosenDefault || unconditioned.length > 0 || conditioned.length === 0) return;
  // Only when every condition linted cleanly: a broken one already has its own problem.
  if (!conditioned.every((f) => ctx.conditionTests.has(f))) return;
  const verdict = exhaustive(
    conditioned.map((f) => ctx.conditionTests.get(f)),
    (v) => domainOf(ctx, v),
  );
  if (verdict !== true) ctx.problems.at(gateway, 'gateway-not-exhaustive', verdict);
}

function domainOf(ctx: CompileContext, variable: string): string[] | undefined {
  const [name = '', output = ''] = variable.split('.');
  return ctx.steps.get(name)?.outputs.get(output);
}

/**
 * true when the conditions provably cover every case: some output with a finite domain is tested
 * with = / != only, and those tests together accept every value. Otherwise, why not (a message).
 */
function exhaustive(
  tests: (ConditionTest | undefined)[],
  domainOfVariable: (variable: string) => string[] | undefined,
): true | string {
  const covered = new Map<string, Set<string>>();
  for (const test of tests) {
    const domain = test ? domainOfVariable(test.variable) : undefined;
    if (!test || !domain) continue;
    const accepted = test.equals ? domain.filter((v) => v === test.literal) : domain.filter((v) => v !== test.literal);
    covered.set(test.variable, new Set([...(covered.get(test.variable) ?? []), ...accepted]));
  }
  for (const [variable, values] of covered) {
    if (domainOfVariable(variable)?.every((v) => values.has(v))) return true;
  }
  const [only] = covered.keys();
  const onlyValues = only === undefined ? undefined : covered.get(only);
  if (covered.size === 1 && only !== undefined && onlyValues && tests.every((t) => t?.variable === only)) {
    const missing = (domainOfVariable(only) ?? []).filter((v) => !onlyValues.has(v));
    return `no default flow, and the conditions on ${only} miss ${missing.join(', ')}: add a flow for it or a default flow`;
  }
  return 'no default flow, and the conditions cannot be proven to cover every case: add a default flow';
}
