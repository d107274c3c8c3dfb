import type { z } from 'zod';
import { matterActionRoles, roleSatisfies } from '../../../common/engine';
import type { Role } from '../../../common/graph';
import { objectionActions, type MatterSummary } from '../../../common/matter-summary';
import { OpinionActorRoleSchema, opinionRefusal, type OpinionState } from '../../../common/opinion';
import { rolesIn, signedIn, villagesOf, type Principal } from '../../auth/principal';
import type { DirectoryPort } from '../../../common/directory';
import { rolesServed, type ReadModel } from '../../../stores/read-model';
import type { RouteInput } from '../../route';
import type { MyTasksQuerySchema, OpinionTask, Task } from './schemas';

export interface MeDeps {
  readModel: ReadModel;
  directory: DirectoryPort;
  now: () => Date;
}

export function me(deps: MeDeps, { principal, res }: RouteInput<unknown, unknown, unknown>) {
  const user = signedIn(principal);
  const directory = deps.directory.current();
  const villages = villagesOf(directory, user).map((id) => {
    const v = directory.villages.find((x) => x.id === id);
    return { id, town: v?.town ?? '', name: v?.name ?? { zh: id, en: id }, roles: rolesIn(directory, user, id) };
  });
  res.json({ id: user.id, name: user.name, roles: user.grants, villages });
}

/** The steps of one matter that this user, in one of their roles there, may act on now. */
export function tasksIn(view: Omit<MatterSummary, 'v'>, user: Principal, held: Role[], now: Date): Task[] {
  if (view.status === 'ended') return [];
  const tasks: Task[] = [];
  const base = {
    matterId: view.matterId,
    title: view.title,
    village: view.village,
    procedure: { id: view.procedure.id, name: view.procedure.name },
  };
  // A suspended matter waits on its objections, not on its steps.
  for (const step of view.status === 'running' ? view.activeSteps : []) {
    if (step.actions.length === 0) continue;
    if (step.recused.some((who) => who === user.id || who === user.name)) continue;
    const role = held.find((h) => step.roles.some((r) => roleSatisfies(h, r)));
    if (!role) continue;
    tasks.push({
      ...base,
      step: { id: step.id, name: step.name, kind: step.kind, phase: step.phase },
      ...(step.deadline !== undefined ? { deadline: step.deadline } : {}),
      overdue: step.deadline !== undefined && new Date(step.deadline).getTime() < now.getTime(),
      actions: step.actions,
      role,
    });
  }
  for (const objection of view.objections) {
    // 实施条例 Art. 54: an open objection with an answer time is due then, for whoever may act on it
    const due = objection.status === 'open' ? objection.answerDueAt : undefined;
    const overdue =
      objection.status === 'open' &&
      (objection.overdueSince !== undefined || (due !== undefined && new Date(due).getTime() < now.getTime()));
    // the engine's own rule of who acts on an objection when (common/engine/objections.ts)
    for (const action of objectionActions(objection)) {
      const role = held.find((h) => (matterActionRoles[action] ?? []).some((r) => roleSatisfies(h, r)));
      if (!role) continue;
      tasks.push({
        ...base,
        step: {
          id: objection.id,
          name: { zh: `异议（${objection.reason}）`, en: `Objection (${objection.reason})` },
          kind: 'objection',
          phase: objection.status,
        },
        ...(due !== undefined ? { deadline: due } : {}),
        overdue,
        actions: [action],
        role,
      });
    }
  }
  return tasks;
}

/**
 * The opinions (民意直通车) waiting for this user: the chair's of their villages, and the town's
 * once a time limit has passed — the same rule the opinion workflow applies (`opinionRefusal`).
 */
export function opinionTasksIn(opinion: OpinionState, user: Principal, held: Role[], now: Date): OpinionTask[] {
  for (const role of OpinionActorRoleSchema.options) {
    if (!held.includes(role)) continue;
    const actor = { userId: user.id, role };
    const actions = (['acknowledge', 'answer'] as const).filter((a) => !opinionRefusal(opinion, a, actor));
    if (actions.length === 0) continue;
    const dueAt = opinion.status === 'submitted' ? opinion.acknowledgeDueAt : opinion.answerDueAt;
    return [
      {
        opinionId: opinion.opinionId,
        village: opinion.village,
        ...(opinion.matterId ? { matterId: opinion.matterId } : {}),
        subject: opinion.subject,
        text: opinion.text,
        status: opinion.status,
        submittedAt: opinion.submittedAt,
        ...(dueAt ? { dueAt } : {}),
        overdue: dueAt !== undefined && new Date(dueAt).getTime() < now.getTime(),
        escalated: opinion.escalations.length > 0,
        actions: [...actions],
        role,
      },
    ];
  }
  return [];
}

async function myOpinionTasks(
  deps: MeDeps,
  user: Principal,
  villages: string[],
): Promise<{ tasks: OpinionTask[]; unread: string[] }> {
  const directory = deps.directory.current();
  const now = deps.now();
  const lists = await Promise.all(
    villages
      .filter((v) => rolesIn(directory, user, v).some((r) => (OpinionActorRoleSchema.options as Role[]).includes(r)))
      .map(async (v) => {
        const running = await deps.readModel.runningOpinions(v);
        return {
          tasks: running.opinions.flatMap((o) => opinionTasksIn(o, user, rolesIn(directory, user, v), now)),
          unread: running.unread,
        };
      }),
  );
  return {
    tasks: lists
      .flatMap((l) => l.tasks)
      .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.submittedAt.localeCompare(b.submittedAt)),
    unread: lists.flatMap((l) => l.unread),
  };
}

/**
 * The steps waiting for the user: one visibility query selects the running matters of their
 * villages that wait on a role they serve (`MatterWaitingOn`); each row's summary says the rest
 * (recusal, deadline). All of them, sorted, then paged: `total` and `nextCursor` say what is left.
 */
export async function myTasks(
  deps: MeDeps,
  { principal, query, res }: RouteInput<unknown, z.infer<typeof MyTasksQuerySchema>, unknown>,
) {
  const user = signedIn(principal);
  const directory = deps.directory.current();
  const villages = villagesOf(directory, user);
  const tasks: Task[] = [];
  let unread: string[] = [];
  if (villages.length > 0) {
    const held = [...new Set(villages.flatMap((v) => rolesIn(directory, user, v)))];
    const found = await deps.readModel.summaries({ villages, status: 'open', waitingOn: rolesServed(held) });
    unread = found.unread;
    const now = deps.now();
    for (const summary of found.summaries) {
      tasks.push(...tasksIn(summary, user, rolesIn(directory, user, summary.village), now));
    }
  }
  // Overdue first, then the nearest deadline, then those without one.
  tasks.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') ||
      a.matterId.localeCompare(b.matterId) ||
      a.step.id.localeCompare(b.step.id),
  );
  const from = query.cursor ?? 0;
  const to = from + query.limit;
  const opinions = await myOpinionTasks(deps, user, villages);
  unread = [...unread, ...opinions.unread];
  res.json({
    tasks: tasks.slice(from, to),
    total: tasks.length,
    ...(to < tasks.length ? { nextCursor: String(to) } : {}),
    ...(unread.length > 0 ? { unread } : {}),
    opinions: opinions.tasks,
  });
}
