import type { z } from 'zod';
import { ErrorCode } from '../../../common/errors';
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
}

/** Compared against when the user does not exist, so an unknown id takes as long as a wrong password. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function login(deps: AuthDeps, { body, res }: RouteInput<unknown, unknown, z.infer<typeof LoginSchema>>) {
  const user = deps.directory.current().users.find((u) => u.id === body.userId);
  const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) {
    // One message for both: it must not tell which user ids exist.
    throw new ApiError(401, ErrorCode.BadCredentials, 'Wrong user id or password / 用户名或密码错误', [
      { field: 'body.password', message: 'wrong user id or password' },
    ]);
  }
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
