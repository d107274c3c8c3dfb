import type { GraphNode, ProcedureGraph } from '../../common/graph';
import type { CompileContext } from './context';
import { text } from './moddle';

export const PROCEDURE_ID = /^[a-z][a-z0-9-]*$/;

/** `mp:linkProcedure`, `mp:linkAbove="policy:<key>"`, `mp:linkAmount="<step>.<amount field>"`, all or none. */
export function compileLink(ctx: CompileContext, nodes: Record<string, GraphNode>): ProcedureGraph['link'] {
  const procedure = text(ctx.process, 'linkProcedure');
  const above = text(ctx.process, 'linkAbove');
  const amount = text(ctx.process, 'linkAmount');
  if (procedure === undefined && above === undefined && amount === undefined) return undefined;
  const fail = (message: string) => {
    ctx.problems.at(ctx.process, 'bad-link', message);
    return undefined;
  };
  if (!procedure || !above || !amount) return fail('mp:linkProcedure, mp:linkAbove and mp:linkAmount go together');
  if (!PROCEDURE_ID.test(procedure)) return fail(`mp:linkProcedure must be a procedure id, not ${procedure}`);
  const key = /^policy:(.+)$/.exec(above)?.[1];
  const threshold = key === undefined ? undefined : ctx.policyValues[key];
  if (key === undefined || typeof threshold !== 'number') {
    return fail(`mp:linkAbove must be policy:<key> naming a number in the policy, not ${above}`);
  }
  const [stepId, fieldName] = amount.split('.');
  const node = stepId === undefined ? undefined : nodes[stepId];
  const field = node?.type === 'userTask' ? node.step.fields.find((f) => f.name === fieldName) : undefined;
  if (field?.type !== 'amount') return fail(`mp:linkAmount must name an amount field as <step>.<field>, not ${amount}`);
  ctx.usedPolicy.add(key);
  return { procedure, above: threshold, step: stepId ?? '', field: field.name };
}

/** `mp:splitPayee="<step>.<field>"`, `mp:splitWindow="policy:<days>"`, `mp:splitTiers="policy:<a> policy:<b>"`; the amount is mp:linkAmount's. */
export function compileSplit(ctx: CompileContext, nodes: Record<string, GraphNode>): ProcedureGraph['split'] {
  const payee = text(ctx.process, 'splitPayee');
  const window = text(ctx.process, 'splitWindow');
  const tiers = text(ctx.process, 'splitTiers');
  if (payee === undefined && window === undefined && tiers === undefined) return undefined;
  const fail = (message: string) => {
    ctx.problems.at(ctx.process, 'bad-split', message);
    return undefined;
  };
  const amount = text(ctx.process, 'linkAmount');
  if (!payee || !window || !tiers || !amount) {
    return fail('mp:splitPayee, mp:splitWindow and mp:splitTiers go together, with mp:linkAmount naming the amount');
  }
  const [stepId, payeeField] = payee.split('.');
  const [amountStep, amountField] = amount.split('.');
  const node = stepId === undefined ? undefined : nodes[stepId];
  const field = node?.type === 'userTask' ? node.step.fields.find((f) => f.name === payeeField) : undefined;
  if (!field || amountStep !== stepId || amountField === undefined) {
    return fail(`mp:splitPayee must name a field of the step that holds the amount, not ${payee}`);
  }
  const windowDays = ctx.policyNumber(window);
  if (windowDays === undefined || windowDays <= 0)
    return fail(`mp:splitWindow must be policy:<key> naming a number of days, not ${window}`);
  const tierValues = tiers.split(/\s+/).map((t) => ctx.policyNumber(t));
  if (tierValues.some((t) => t === undefined || t <= 0))
    return fail(`mp:splitTiers must be policy:<key> numbers, not ${tiers}`);
  return {
    step: stepId ?? '',
    payeeField: field.name,
    amountField,
    windowDays,
    tiers: tierValues.filter((t): t is number => t !== undefined),
  };
}
