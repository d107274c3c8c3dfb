import { defineRoute, type RouteDef } from '../../route';
import { login, logout, type AuthDeps } from './handlers';
import { LoginResultSchema, LoginSchema } from './schemas';

export function authRoutes(deps: AuthDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in: sets the session cookie and returns a Bearer token / 登录',
      tags: ['auth'],
      auth: 'public',
      body: LoginSchema,
      responses: {
        200: { description: 'Signed in', schema: LoginResultSchema },
        401: { description: 'Wrong user id or password' },
        429: { description: 'Too many failed attempts: wait `Retry-After` seconds / 失败次数过多，请稍后再试' },
      },
      handle: (input) => login(deps, input),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      summary: 'Sign out: clears the session cookie / 退出',
      tags: ['auth'],
      auth: 'public',
      responses: { 204: { description: 'Signed out' } },
      handle: (input) => logout(deps, input),
    }),
  ];
}
