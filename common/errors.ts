/**
 * Stable error codes of the one error shape `{"error": {"code", "message", "details"}}`.
 * Clients and tests match on the code, never on the message text.
 */
export const ErrorCode = {
  MalformedJson: 'MALFORMED_JSON',
  InvalidRequest: 'INVALID_REQUEST',
  NotFound: 'NOT_FOUND',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  Conflict: 'CONFLICT',
  /** Temporal did not answer within the request's deadline, or is down (503) */
  TemporalUnavailable: 'TEMPORAL_UNAVAILABLE',
  /** Temporal answers but no worker takes the task queue ("no poller seen") (503) */
  NoWorker: 'NO_WORKER',
  Internal: 'INTERNAL',
  UnknownProcedure: 'UNKNOWN_PROCEDURE',
  /** the procedure file does not compile, or no policy is in force, today */
  ProcedureUnavailable: 'PROCEDURE_UNAVAILABLE',
  // refusals of an action by the workflow's validator (common/engine/types.ts ActionErrorCode)
  StepNotActive: 'STEP_NOT_ACTIVE',
  ActionNotAllowed: 'ACTION_NOT_ALLOWED',
  RoleNotAllowed: 'ROLE_NOT_ALLOWED',
  Recused: 'RECUSED',
  InvalidData: 'INVALID_DATA',
  ReasonRequired: 'REASON_REQUIRED',
  Suspended: 'MATTER_SUSPENDED',
  Ended: 'MATTER_ENDED',
  NoSuchObjection: 'NO_SUCH_OBJECTION',
  LinkRequired: 'LINK_REQUIRED',
  LinkInvalid: 'LINK_INVALID',
  // people and permissions
  /** no valid session: sign in (401) */
  Unauthenticated: 'UNAUTHENTICATED',
  /** wrong user id or password (401) */
  BadCredentials: 'BAD_CREDENTIALS',
  /** signed in, but holding no role where the request acts (403) */
  OutOfScope: 'OUT_OF_SCOPE',
  /** the role named in the request is not one the user holds there (403) */
  RoleNotHeld: 'ROLE_NOT_HELD',
  RateLimited: 'RATE_LIMITED',
  /** a state-changing request from a page of another site (Origin / Referer) (403) */
  ForeignOrigin: 'FOREIGN_ORIGIN',
  /** the Idempotency-Key was used before, by the same caller, with a different request (422) */
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  /** a part of the service this deployment has not configured (e.g. the notice store) */
  NotConfigured: 'NOT_CONFIGURED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `body.name` or `header.idempotency-key`. */
  field?: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: ErrorDetail[] };
}
