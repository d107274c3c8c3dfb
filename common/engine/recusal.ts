import type { ProcedureGraph } from '../graph';
import { userTask } from './support';
import type { Actor, MatterState, Party, Recusal } from './types';

// 回避: who may not act at a step, and why.

/** Values of the party fields of a completed step, remembered so a later step can recuse them. */
export function noteParties(
  graph: ProcedureGraph,
  state: MatterState,
  stepId: string,
  vars: Record<string, unknown>,
): void {
  const task = userTask(graph, stepId);
  if (!task) return;
  for (const field of task.step.fields) {
    const value = vars[field.name];
    if (!field.party || typeof value !== 'string' || value.trim() === '') continue;
    const party: Party = { kind: field.party, step: stepId, field: field.name, value: value.trim() };
    const parties = state.parties ?? [];
    if (!parties.some((p) => p.kind === party.kind && p.value === party.value)) state.parties = [...parties, party];
  }
}

/**
 * The parties a matter names: those remembered, and (for a state carried from older code, which
 * remembered none) the party fields of the steps completed so far.
 */
export function partiesOf(graph: ProcedureGraph, state: MatterState): Party[] {
  const parties = [...(state.parties ?? [])];
  for (const [stepId, vars] of Object.entries(state.variables)) {
    for (const field of userTask(graph, stepId)?.step.fields ?? []) {
      const value = vars[field.name];
      if (!field.party || typeof value !== 'string' || value.trim() === '') continue;
      if (!parties.some((p) => p.kind === field.party && p.value === value.trim()))
        parties.push({ kind: field.party, step: stepId, field: field.name, value: value.trim() });
    }
  }
  return parties;
}

/**
 * 回避: who may not act at an active step now. Reviews and approvals: whoever started the matter
 * and its payee, bidder or counterparty. Witnessing a meeting record: the same, and its recorder.
 */
export function recusalsAt(graph: ProcedureGraph, state: MatterState, stepId: string): Recusal[] {
  const task = userTask(graph, stepId);
  const active = state.active[stepId];
  if (!task || !active) return [];
  const witnessing = active.phase === 'awaiting-witness';
  if (!witnessing && task.step.kind !== 'review' && task.step.kind !== 'approval') return [];
  const out: Recusal[] = [{ who: state.initiator, why: 'initiator' }];
  if (witnessing) {
    const pending = active.pendingMeeting === undefined ? undefined : state.meetings[active.pendingMeeting];
    if (pending) out.push({ who: pending.recordedBy, why: 'recorder' });
    // the record awaiting a witness may itself name a party (a contractor awarded directly)
    for (const field of task.step.fields) {
      const value = active.pendingFields?.[field.name];
      if (field.party && typeof value === 'string' && value.trim() !== '')
        out.push({ who: value.trim(), why: field.party });
    }
  }
  for (const party of partiesOf(graph, state)) out.push({ who: party.value, why: party.kind });
  return out;
}

/** Initiator and recorder are user ids; a party is written as a name or a user id, so both are compared. */
export function recusalOf(actor: Actor, recusals: Recusal[]): Recusal | undefined {
  const id = actor.userId.trim();
  const name = actor.name?.trim();
  return recusals.find((r) =>
    r.why === 'initiator' || r.why === 'recorder' ? r.who === id : r.who === id || (!!name && r.who === name),
  );
}

export const RECUSAL_WORDS: Record<Recusal['why'], { zh: string; en: string }> = {
  initiator: { zh: '发起了本事项', en: 'started this matter' },
  recorder: { zh: '记录了这次会议', en: 'recorded this meeting' },
  payee: { zh: '是本事项的收款人', en: 'is the payee of this matter' },
  bidder: { zh: '是本事项的投标人或竞买人', en: 'is a bidder in this matter' },
  counterparty: { zh: '是本事项的合同对方', en: 'is the counterparty of this matter' },
};

export function recusalMessage(actor: Actor, recusal: Recusal, stepId: string): string {
  const words = RECUSAL_WORDS[recusal.why];
  return `${actor.userId} ${words.zh}，须回避 ${stepId} / ${actor.userId} ${words.en} and must recuse from ${stepId}`;
}
