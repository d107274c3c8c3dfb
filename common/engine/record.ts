import { chainAll, chainEntry, entrySalt, headOf, needsChaining } from '../record-chain';
import { iso } from './support';
import type { EngineEvent, MatterState, RecordEntry } from './types';

/** Who acted, on what, as a record entry begins (the name only when the API knew it). */
export function recordedBy(event: Extract<EngineEvent, { type: 'act' }>) {
  const { actor } = event;
  return {
    userId: actor.userId,
    ...(actor.name ? { name: actor.name } : {}),
    role: actor.role,
    step: event.step,
    action: event.action,
  };
}

export function addRecord(
  state: MatterState,
  at: number,
  entry: Omit<RecordEntry, 'seq' | 'at' | 'prev' | 'hash' | 'salt'>,
): void {
  // A state carried from code that kept no chain is linked, in order, before it grows.
  if (needsChaining(state.record)) state.record = chainAll(state.record);
  state.seq += 1;
  const seed = state.rules?.recordSeed;
  const salt = seed === undefined ? undefined : entrySalt(seed, state.seq);
  state.record.push(chainEntry({ seq: state.seq, at: iso(at), ...entry }, headOf(state.record), salt));
}
