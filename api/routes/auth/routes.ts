import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { ErrorCode } from '../../../common/errors';
import { toErrorResponse, ApiError } from '../../errors';
import { defineRoute, type RouteDef } from '../../route';
import { login, logout, type AuthDeps } from './handlers';
import { LoginResultSchema, LoginSchema } from './schemas';

/** Failed log-ins per user id and address; successful ones do not count. */
function loginLimiter(deps: AuthDeps) {
  return rateLimit({
    windowMs: deps.session.loginWindowMs,
    limit: deps.session.loginAttempts,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const body: unknown = req.body;
      const userId =
        typeof body === 'object' && body !== null && 'userId' in body && typeof body.userId === 'string'
          ? body.userId.trim().toLowerCase()
          : '';
      return `${ipKeyGenerator(req.ip ?? '')}|${userId}`;
    },
    handler: (_req, res) => {
      const minutes = Math.ceil(deps.session.loginWindowMs / 60_000);
      const { status, body } = toErrorResponse(
        new ApiError(
          429,
          ErrorCode.RateLimited,
          `Too many failed log-ins; try again in ${minutes} minutes / 登录失败次数过多，请 ${minutes} 分钟后再试`,
        ),
      );
      res.status(status).json(body);
    },
  });
}

export function authRoutes(deps: AuthDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in: sets the session cookie and returns a Bearer token / 登录',
      tags: ['auth'],
      auth: 'public',
      body: LoginSchema,
      middleware: [loginLimiter(deps)],
      responses: {
        200: { description: 'Signed in', schema: LoginResultSchema },
        401: { description: 'Wrong user id or password' },
        429: { description: 'Too many failed attempts' },
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
