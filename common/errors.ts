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
  TemporalUnavailable: 'TEMPORAL_UNAVAILABLE',
  Internal: 'INTERNAL',
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
