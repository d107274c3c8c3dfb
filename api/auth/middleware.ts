import type { RequestHandler } from 'express';
import type { DirectoryPort } from '../../common/directory';
import { setPrincipal } from '../route';
import { principalFor } from './principal';
import { SESSION_COOKIE, verifySession } from './session';

/**
 * Who is asking: the session cookie (browsers) or a Bearer token (API clients). No token, a bad
 * one or an expired one leaves the request anonymous; routes that need a user answer 401 and say
 * which it was. The user is looked up in the directory each time, so a removed user is out at once.
 */
export function authenticate(deps: { secret: Uint8Array; directory: DirectoryPort }): RequestHandler {
  return (req, res, next) => {
    const header = req.get('Authorization');
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const cookies: unknown = req.cookies;
    const cookie =
      typeof cookies === 'object' && cookies !== null && SESSION_COOKIE in cookies
        ? (cookies as Record<string, unknown>)[SESSION_COOKIE]
        : undefined;
    const token = bearer ?? (typeof cookie === 'string' && cookie !== '' ? cookie : undefined);
    if (!token) {
      next();
      return;
    }
    verifySession(deps.secret, token)
      .then((check) => {
        if (!check.ok) {
          res.locals.authProblem = check.reason;
        } else {
          const principal = principalFor(deps.directory.current(), check.userId);
          if (principal) setPrincipal(res, principal);
          else res.locals.authProblem = 'invalid';
        }
        next();
      })
      .catch(next);
  };
}
