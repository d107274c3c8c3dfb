import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { ErrorCode } from '../common/errors';
import type { Principal } from './auth/principal';
import { ApiError } from './errors';

/**
 * Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header): a key belongs to the caller who
 * sent it, and stands for one request. So every id derived from a key (a workflow id, an update id,
 * an opinion's tracking code) is derived from the key *and* the caller, keyed with the server's
 * secret: another user (or another address, for anonymous residents) sending the same key reaches
 * nothing of the first caller's. A key sent again with a different request is refused with 422, never
 * answered with the first request's result.
 */

/** Who a key belongs to: the signed-in user, else the sender's address (anonymous opinion posts). */
export function callerScope(principal: Principal | undefined, req: Pick<Request, 'ip'>): string {
  return principal ? `user:${principal.id}` : `address:${req.ip ?? 'unknown'}`;
}

/** An id for `purpose` derived from the caller's key: 32 hex digits, unguessable without the secret. */
export function scopedKey(secret: Uint8Array, purpose: string, scope: string, key: string): string {
  return createHmac('sha256', secret).update(`${purpose}\0${scope}\0${key}`).digest('hex').slice(0, 32);
}

/** 422: the key was used before, by this caller, for another request. */
export function keyReused(what: string): ApiError {
  return new ApiError(
    422,
    ErrorCode.IdempotencyKeyReused,
    `This Idempotency-Key was already used for a different request (${what}); use a new key / 该幂等键已用于另一个请求，请换一个新键`,
    [{ field: 'header.Idempotency-Key', message: `already used for a different ${what}` }],
  );
}
