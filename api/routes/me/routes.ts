import { defineRoute, type RouteDef } from '../../route';
import { me, myTasks, type MeDeps } from './handlers';
import { MeSchema, MyTasksQuerySchema, MyTasksSchema } from './schemas';

export function meRoutes(deps: MeDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/me',
      summary: 'The signed-in user, their roles and villages / 当前用户',
      tags: ['auth'],
      auth: 'login',
      responses: { 200: { description: 'The user', schema: MeSchema } },
      handle: (input) => me(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/me/tasks',
      summary: 'Steps and opinions waiting for the signed-in user across their villages, with deadlines / 我的待办',
      tags: ['auth'],
      auth: 'login',
      query: MyTasksQuerySchema,
      responses: {
        200: { description: 'Tasks (a page of them) and opinions, overdue first', schema: MyTasksSchema },
      },
      handle: (input) => myTasks(deps, input),
    }),
  ];
}
