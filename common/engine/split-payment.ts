import type { ProcedureGraph } from '../graph';
import { addRecord } from './record';
import { iso } from './support';
import type { EngineEvent, MatterState, SplitWarning } from './types';

/**
 * 化整为零: payments to one payee within the window that together pass a tier while each stays
 * under it. The other payments come from an activity (in history), so this stays deterministic.
 */
export function checkSplit(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'split-checked' }>,
): void {
  const rule = graph.split;
  if (!rule || state.splitChecked) return;
  state.splitChecked = true;
  const own = state.amount ?? 0;
  const total = event.others.reduce((sum, o) => sum + o.amount, own);
  for (const tier of rule.tiers) {
    if (own > tier || event.others.some((o) => o.amount > tier) || total <= tier) continue;
    const warning: SplitWarning = {
      kind: 'split-payment',
      payee: event.payee,
      tier,
      total,
      windowDays: rule.windowDays,
      matters: [...event.others.map((o) => o.matterId), state.matterId].sort(),
      at: iso(event.at),
    };
    state.warnings = [...(state.warnings ?? []), warning];
    addRecord(state, event.at, {
      userId: 'system',
      role: 'system',
      step: rule.step,
      action: 'split-payment-warning',
      data: { payee: warning.payee, tier, total, windowDays: rule.windowDays, matters: warning.matters },
    });
  }
}

/** The split-payment check is due: its step has completed and it has not run. */
export function splitCheckDue(
  graph: ProcedureGraph,
  state: MatterState,
): { payee: string; windowDays: number } | undefined {
  const rule = graph.split;
  if (!rule || state.splitChecked || !state.completedSteps.includes(rule.step)) return undefined;
  const payee = state.variables[rule.step]?.[rule.payeeField];
  return typeof payee === 'string' ? { payee, windowDays: rule.windowDays } : undefined;
}
