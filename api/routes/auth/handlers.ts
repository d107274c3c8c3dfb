import { ipKeyGenerator } from 'express-rate-limit';
import type { z } from 'zod';
import { ErrorCode } from '../../../common/errors';
import type { LoginLimits } from '../../auth/login-limits';
import { SESSION_COOKIE, signSession, type SessionConfig } from '../../auth/session';
import { verifyPassword } from '../../directory/passwords';
import type { DirectoryPort } from '../../../common/directory';
import { ApiError } from '../../errors';
import type { RouteInput } from '../../route';
import type { LoginSchema } from './schemas';

export interface AuthDeps {
  directory: DirectoryPort;
  session: SessionConfig;
  now: () => Date;
  limits: LoginLimits;
}

/** Compared against when the user does not exist, so an unknown id takes as long as a wrong password. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function login(
  deps: AuthDeps,
  { body, req, res }: RouteInput<unknown, unknown, z.infer<typeof LoginSchema>>,
) {
  // the address as the balancer saw it when TRUST_PROXY trusts it; an IPv6 /56 counts as one
  const address = ipKeyGenerator(req.ip ?? '');
  const allowed = deps.limits.check(body.userId, address);
  if (!allowed.ok) {
    const seconds = Math.max(1, Math.ceil(allowed.retryAfterMs / 1000));
    res.set('Retry-After', String(seconds));
    throw new ApiError(
      429,
      ErrorCode.RateLimited,
      allowed.scope === 'user'
        ? `Too many failed log-ins for this user id; try again in ${seconds} s / 登录失败次数过多，请 ${seconds} 秒后再试`
        : `Too many failed log-ins from this address; try again in ${Math.ceil(seconds / 60)} min / 此地址登录失败次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试`,
    );
  }
  const user = deps.directory.current().users.find((u) => u.id === body.userId);
  const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) {
    deps.limits.failed(body.userId, address);
    // One message for both: it must not tell which user ids exist.
    throw new ApiError(401, ErrorCode.BadCredentials, 'Wrong user id or password / 用户名或密码错误', [
      { field: 'body.password', message: 'wrong user id or password' },
    ]);
  }
  deps.limits.succeeded(body.userId, address);
  const { token, expiresAt } = await signSession(deps.session, user.id, deps.now());
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.session.secureCookie,
    path: '/',
    expires: expiresAt,
  });
  res.json({ user: { id: user.id, name: user.name, roles: user.roles }, token, expiresAt: expiresAt.toISOString() });
}

export function logout(deps: AuthDeps, { res }: RouteInput<unknown, unknown, unknown>) {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: deps.session.secureCookie, path: '/' });
  res.status(204).end();
}
