import type { Actor, EngineEvent } from '../../common/engine';
import type { ProcedureGraph } from '../../common/graph';
import { testCatalog } from './catalog';
import { TEST_REGISTER } from './people';

/** The people of the engine-level unit tests, one per role they act in. */
export const actors = {
  secretary: { userId: 'li-secretary', role: 'secretary', name: '李书记' },
  director: { userId: 'wang-director', role: 'director', name: '王主任' },
  committee: { userId: 'chen-committee', role: 'committee', name: '陈委员' },
  supervisor: { userId: 'zhao-supervisor', role: 'supervisor', name: '赵监委' },
  town: { userId: 'sun-town', role: 'town-official', name: '孙镇干部' },
} satisfies Record<string, Actor>;

/** The village's register as the API sends it with each act (common/meeting-judge.ts). */
export const REGISTER = { from: '2020-01-01', ...TEST_REGISTER };

/**
 * The procedures' graphs from the shipped BPMN, read once in `beforeAll` (the catalog's temp store is
 * removed in `afterAll`); `graphs[id]` is set by the time the tests run.
 */
export function loadGraphs(ids: readonly string[], day: string): Record<string, ProcedureGraph> {
  const graphs: Record<string, ProcedureGraph> = {};
  let cleanup = () => {};
  beforeAll(async () => {
    const made = testCatalog();
    cleanup = made.cleanup;
    for (const id of ids) {
      const procedure = await made.catalog.current(id, day);
      if (!procedure) throw new Error(`${id} missing`);
      graphs[id] = procedure.graph;
    }
  });
  afterAll(() => cleanup());
  return graphs;
}

/** `act(...)` events one second apart from `from`, each carrying the register. */
export function actsFrom(from: number) {
  let clock = from;
  return (
    actor: Actor,
    step: string | null,
    action: string,
    data: Record<string, unknown> = {},
    comment?: string,
  ): Extract<EngineEvent, { type: 'act' }> => ({
    type: 'act',
    at: (clock += 1000),
    actor,
    step,
    action,
    data,
    ...(comment ? { comment } : {}),
    register: REGISTER,
  });
}
