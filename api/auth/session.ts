import { SignJWT, errors, jwtVerify } from 'jose';

/** Sessions are HS256 JWTs signed with SESSION_SECRET: `sub` is the user id, `exp` ends them. */

export const SESSION_COOKIE = 'xwql_session';
const ISSUER = 'xwql';

export interface SessionConfig {
  secret: Uint8Array;
  ttlSeconds: number;
  /** production: cookies only over HTTPS */
  secureCookie: boolean;
  /** failed log-ins per user id and address before each further try waits (api/auth/login-limits.ts) */
  loginAttempts: number;
  /** failures are forgotten after this quiet time; the window of the per-address cap */
  loginWindowMs: number;
  /** longest wait between tries of one user id from one address (default LOGIN_MAX_WAIT_SECONDS) */
  loginMaxWaitMs?: number;
  /** failed log-ins per address across all user ids per window (default LOGIN_ADDRESS_FAILURES) */
  loginAddressFailures?: number;
}

export async function signSession(
  config: Pick<SessionConfig, 'secret' | 'ttlSeconds'>,
  userId: string,
  now = new Date(),
) {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + config.ttlSeconds;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(config.secret);
  return { token, expiresAt: new Date(exp * 1000) };
}

export type SessionCheck = { ok: true; userId: string } | { ok: false; reason: 'expired' | 'invalid' };

export async function verifySession(secret: Uint8Array, token: string): Promise<SessionCheck> {
  try {
    const { payload } = await jwtVerify(token, secret, { issuer: ISSUER, algorithms: ['HS256'] });
    return payload.sub ? { ok: true, userId: payload.sub } : { ok: false, reason: 'invalid' };
  } catch (err) {
    return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}
