import { actionsFor, matterActionRoles, roleSatisfies, type MatterState } from './engine';
import type { ProcedureGraph, Role } from './graph';
import type { ActRequest } from './matter';

/** The roles that may take `action` now: on an active step (by its phase), or on the whole matter. */
export function rolesAllowed(graph: ProcedureGraph, state: MatterState, step: string | null, action: string): Role[] {
  if (step === null) return matterActionRoles[action] ?? [];
  const active = state.active[step];
  const node = graph.nodes[step];
  if (!active || node?.type !== 'userTask') return [];
  return actionsFor(node.step, active.phase)[action] ?? [];
}

/**
 * The request as the engine sees it: the actor in the first of `roles` (the roles they hold in the
 * village) that the action allows, else in `actor.role`, which the validator refuses with its rule.
 */
export function withActingRole(graph: ProcedureGraph, state: MatterState, request: ActRequest): ActRequest {
  const { roles, ...rest } = request;
  if (!roles || roles.length === 0) return rest;
  const allowed = rolesAllowed(graph, state, request.step, request.action);
  const role = roles.find((held) => allowed.some((r) => roleSatisfies(held, r))) ?? request.actor.role;
  return { ...rest, actor: { ...request.actor, role } };
}
