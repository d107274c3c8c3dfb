import type { RequestHandler, Response } from 'express';
import type { DirectoryPort } from '../../common/directory';
import { setPrincipal } from '../route';
import { principalFor } from './principal';
import type { RevocationPort } from './revocation';
import { SESSION_COOKIE, verifySession } from './session';

const SESSION = 'session';

/** The session a request came with (its id and expiry), for logging out. */
export interface SessionRef {
  jti: string | undefined;
  expiresAt: Date;
}

function setSession(res: Response, session: SessionRef): void {
  res.locals[SESSION] = session;
}

export function sessionOf(res: Response): SessionRef | undefined {
  const value: unknown = res.locals[SESSION];
  return value === undefined ? undefined : (value as SessionRef);
}

/**
 * Who is asking: the session cookie (browsers) or a Bearer token (API clients). No token, a bad
 * one or an expired one leaves the request anonymous; routes that need a user answer 401 and say
 * which it was. The user is looked up in the directory each time, so a removed user is out at once.
 */
export function authenticate(deps: {
  secret: Uint8Array;
  directory: DirectoryPort;
  revocations: RevocationPort;
}): RequestHandler {
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
        } else if (check.jti !== undefined && deps.revocations.isRevoked(check.jti)) {
          // logged out: the token is signed and unexpired, and still no longer a session
          res.locals.authProblem = 'invalid';
        } else {
          setSession(res, { jti: check.jti, expiresAt: check.expiresAt });
          const principal = principalFor(deps.directory.current(), check.userId);
          if (principal) setPrincipal(res, principal);
          else res.locals.authProblem = 'invalid';
        }
        next();
      })
      .catch(next);
  };
}
