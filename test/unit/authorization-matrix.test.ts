import { rolesIn, type Principal } from '../../api/auth/principal';
import { DISTRICT_ROLES, TOWN_ROLES, type Directory } from '../../common/directory';
import { ApiError } from '../../api/errors';
import { actingRole, startingRole, startRoles } from '../../api/routes/matters/handlers';
import {
  actionsFor,
  applyEvent,
  matterActionRoles,
  startMatter,
  validateAction,
  type Actor,
  type MatterState,
} from '../../common/engine';
import { ROLES, type Field, type ProcedureGraph, type Role } from '../../common/graph';
import { testCatalog } from '../helpers/catalog';
import { meetingRecord } from '../helpers/meeting';

/**
 * Who may act, walked exhaustively: every role (and nobody signed in), in the matter's own
 * village and in another one, against every step and action of every procedure. Each cell goes
 * through the two layers a real request meets — the API's scope check (`rolesIn` + `actingRole`)
 * and the workflow validator (`validateAction`) — and is compared with an oracle written from
 * domain.md: the roles the flowchart names for the step, where secretary and director count as
 * committee members and the chair as a supervisor; a meeting record is witnessed by a supervisor;
 * town officials act in the villages of their town, district roles everywhere.
 */

const PROCEDURES = ['major-decision', 'project-bidding', 'asset-disposal', 'fund-approval'];
const OWN = 'xinglong';
const OTHER = 'qingshan';
const OWN_TOWN = 'jinshan';
const OTHER_TOWN = 'baiyun';

const directory: Directory = {
  towns: [
    { id: OWN_TOWN, name: { zh: '金山镇', en: 'Jinshan' } },
    { id: OTHER_TOWN, name: { zh: '白云镇', en: 'Baiyun' } },
  ],
  villages: [
    { id: OWN, town: OWN_TOWN, name: { zh: '兴隆村', en: 'Xinglong' } },
    { id: OTHER, town: OTHER_TOWN, name: { zh: '青山村', en: 'Qingshan' } },
  ],
  users: [],
};

const isDistrict = (role: Role) => (DISTRICT_ROLES as readonly Role[]).includes(role);
const isTown = (role: Role) => (TOWN_ROLES as readonly Role[]).includes(role);

/** A holder of `role` whose grant is in the matter's village (own) or somewhere else (other). */
function holder(role: Role, where: 'own' | 'other'): Principal {
  const grant = isDistrict(role)
    ? { role }
    : isTown(role)
      ? { role, town: where === 'own' ? OWN_TOWN : OTHER_TOWN }
      : { role, village: where === 'own' ? OWN : OTHER };
  return { id: `${role}-${where}`, name: `${role} ${where}`, grants: [grant] };
}

/** The oracle: what domain.md says, from the roles the flowchart names. */
function mayAct(role: Role, where: 'own' | 'other', allowed: Role[]): boolean {
  const inScope = where === 'own' || isDistrict(role);
  const counts = (r: Role) =>
    r === role ||
    (r === 'committee' && (role === 'secretary' || role === 'director')) ||
    (r === 'supervisor' && role === 'supervisor-chair');
  return inScope && allowed.some(counts);
}

const AUTH_REFUSALS = new Set(['ROLE_NOT_ALLOWED', 'RECUSED', 'OUT_OF_SCOPE', 'ROLE_NOT_HELD', 'UNAUTHENTICATED']);

/** A value the field accepts, so the record that puts a meeting up for witnessing is valid. */
function sample(field: Field): unknown {
  switch (field.type) {
    case 'amount':
    case 'number':
    case 'integer':
      return Math.max(field.min ?? 1, 1);
    case 'date':
      return '2026-03-10';
    case 'boolean':
      return false;
    case 'enum':
      return field.values?.[0];
    case 'hash':
      return 'a'.repeat(64);
    default:
      return 'x';
  }
}

const INITIATOR: Actor = { userId: 'the-initiator', role: 'secretary' };

function stateAt(graph: ProcedureGraph, stepId: string, phase: 'open' | 'awaiting-witness'): MatterState | undefined {
  const base = startMatter(graph, { matterId: 'm', village: OWN, title: 't', initiator: INITIATOR }, 0);
  const open: MatterState = { ...base, active: { [stepId]: { step: stepId, since: '2026-01-01', phase: 'open' } } };
  if (phase === 'open') return open;
  const node = graph.nodes[stepId];
  if (node?.type !== 'userTask') return undefined;
  const own = Object.fromEntries(node.step.fields.map((f) => [f.name, sample(f)]));
  const data = { ...meetingRecord(node.step.bodies?.[0] ?? 'two-committees', 9, 8, 7), ...own };
  const recorder: Actor = { userId: 'the-recorder', role: node.step.roles[0] ?? 'committee' };
  const event = { type: 'act' as const, at: 1, actor: recorder, step: stepId, action: 'record', data };
  const problem = validateAction(graph, open, event);
  if (problem) throw new Error(`cannot put ${graph.id}/${stepId} up for witnessing: ${problem.message}`);
  return applyEvent(graph, open, event);
}

/** Through both layers; `true` when nothing refused it for who the actor is. */
/** Nobody, then every role in the matter's own village and in another one, with what the oracle expects. */
function actorsFor(allowed: Role[]): [string, Principal | undefined, boolean][] {
  const actors: [string, Principal | undefined, boolean][] = [['anonymous', undefined, false]];
  for (const role of ROLES) {
    for (const where of ['own', 'other'] as const) {
      actors.push([`${role}@${where}`, holder(role, where), mayAct(role, where, allowed)]);
    }
  }
  return actors;
}

function authorized(
  graph: ProcedureGraph,
  state: MatterState,
  principal: Principal | undefined,
  step: string | null,
  action: string,
  allowed: Role[],
): boolean {
  if (!principal) return false; // the route answers 401 before anything else
  let role: Role;
  try {
    role = actingRole(rolesIn(directory, principal, OWN), allowed, undefined, OWN);
  } catch (err) {
    if (err instanceof ApiError && AUTH_REFUSALS.has(err.code)) return false;
    throw err;
  }
  const problem = validateAction(graph, state, {
    type: 'act',
    at: 2,
    actor: { userId: principal.id, role },
    step,
    action,
    data: {},
    comment: 'a reason',
  });
  return !problem || !AUTH_REFUSALS.has(problem.code);
}

test('given every role and nobody, in the own and another village, at every step and action, then 0 unauthorized successes and 0 wrongful refusals', async () => {
  const { catalog, cleanup } = testCatalog();
  const cells: string[] = [];
  const unauthorizedSuccesses: string[] = [];
  const wrongfulRefusals: string[] = [];
  const kinds = new Set<string>();
  try {
    for (const id of PROCEDURES) {
      const graph = (await catalog.current(id, '2026-06-01'))?.graph;
      if (!graph) throw new Error(`${id} did not compile`);
      const cases: { label: string; state: MatterState; step: string | null; action: string; allowed: Role[] }[] = [];
      for (const node of Object.values(graph.nodes)) {
        if (node.type !== 'userTask') continue;
        kinds.add(node.step.kind);
        for (const phase of node.step.kind === 'meeting'
          ? (['open', 'awaiting-witness'] as const)
          : (['open'] as const)) {
          const state = stateAt(graph, node.id, phase);
          if (!state) continue;
          for (const [action, allowed] of Object.entries(actionsFor(node.step, phase))) {
            cases.push({ label: `${id}/${node.id}/${phase}/${action}`, state, step: node.id, action, allowed });
          }
          // A disclosure takes no action of its own; what anyone may do there is object to the matter.
          if (node.step.kind === 'disclosure') {
            const allowed = matterActionRoles['raise-objection'] ?? [];
            cases.push({
              label: `${id}/${node.id}/raise-objection`,
              state,
              step: null,
              action: 'raise-objection',
              allowed,
            });
          }
        }
      }
      const running = startMatter(graph, { matterId: 'm', village: OWN, title: 't', initiator: INITIATOR }, 0);
      const allowedToObject = matterActionRoles['raise-objection'] ?? [];
      cases.push({
        label: `${id}/(matter)/raise-objection`,
        state: running,
        step: null,
        action: 'raise-objection',
        allowed: allowedToObject,
      });
      kinds.add('objection');

      // Starting a matter: decided by the API alone (there is no workflow yet).
      kinds.add('start');
      for (const [who, principal, expected] of actorsFor(startRoles(graph))) {
        let got = false;
        try {
          got = principal !== undefined && !!startingRole(rolesIn(directory, principal, OWN), graph, undefined, OWN);
        } catch (err) {
          if (!(err instanceof ApiError && AUTH_REFUSALS.has(err.code))) throw err;
        }
        const cell = `${id}/(start) × ${who}`;
        cells.push(cell);
        if (got && !expected) unauthorizedSuccesses.push(cell);
        if (!got && expected) wrongfulRefusals.push(cell);
      }

      for (const c of cases) {
        for (const [who, principal, expected] of actorsFor(c.allowed)) {
          const a = { who, principal, expected };
          const got = authorized(graph, c.state, a.principal, c.step, c.action, c.allowed);
          const cell = `${c.label} × ${a.who}`;
          cells.push(cell);
          if (got && !a.expected) unauthorizedSuccesses.push(cell);
          if (!got && a.expected) wrongfulRefusals.push(cell);
        }
      }
    }
  } finally {
    cleanup();
  }
  process.stdout.write(
    `authorization matrix: ${cells.length} cells (${PROCEDURES.length} procedures, step kinds ${[...kinds].sort().join('/')}, ${ROLES.length} roles + anonymous, own/other village)\n`,
  );
  expect(kinds).toEqual(
    new Set(['start', 'submit', 'review', 'meeting', 'disclosure', 'record', 'approval', 'objection']),
  );
  expect(unauthorizedSuccesses).toEqual([]);
  expect(wrongfulRefusals).toEqual([]);
  expect(cells.length).toBeGreaterThan(500);
});
