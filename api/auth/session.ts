import { randomUUID, webcrypto } from 'node:crypto';
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
    // its id, so logging out can end this one session (api/auth/revocation.ts)
    .setJti(randomUUID())
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(config.secret);
  return { token, expiresAt: new Date(exp * 1000) };
}

export type SessionCheck =
  { ok: true; userId: string; jti: string | undefined; expiresAt: Date } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * The secret as a verifying key, imported once per secret: given the raw bytes, jose imports them
 * again for every request it verifies.
 */
const verifyingKeys = new WeakMap<Uint8Array, Promise<webcrypto.CryptoKey>>();
function verifyingKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  let key = verifyingKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    verifyingKeys.set(secret, key);
  }
  return key;
}

export async function verifySession(secret: Uint8Array, token: string): Promise<SessionCheck> {
  try {
    const { payload } = await jwtVerify(token, await verifyingKey(secret), { issuer: ISSUER, algorithms: ['HS256'] });
    if (!payload.sub || payload.exp === undefined) return { ok: false, reason: 'invalid' };
    return { ok: true, userId: payload.sub, jti: payload.jti, expiresAt: new Date(payload.exp * 1000) };
  } catch (err) {
    return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}
