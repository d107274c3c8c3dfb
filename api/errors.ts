import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { type z } from 'zod';
import { ErrorCode, type ErrorBody, type ErrorDetail } from '../common/errors';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Parse, don't cast: every request part goes through a zod schema, failures become a 400 naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  throw new ApiError(400, ErrorCode.InvalidRequest, `Invalid request / 请求无效 — ${summary}`, details);
}

const bodyParserErrors: Record<string, { status: number; code: ErrorCode; message: string }> = {
  'entity.parse.failed': {
    status: 400,
    code: ErrorCode.MalformedJson,
    message: 'Request body is not valid JSON / 请求体不是有效的 JSON',
  },
  'entity.too.large': {
    status: 413,
    code: ErrorCode.PayloadTooLarge,
    message: 'Request body is too large / 请求体过大',
  },
  'encoding.unsupported': {
    status: 415,
    code: ErrorCode.UnsupportedMediaType,
    message: 'Unsupported content encoding / 不支持的编码',
  },
  'charset.unsupported': {
    status: 415,
    code: ErrorCode.UnsupportedMediaType,
    message: 'Unsupported charset / 不支持的字符集',
  },
};

function bodyParserType(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string') return err.type;
  return undefined;
}

/** gRPC UNAVAILABLE / DEADLINE_EXCEEDED from the Temporal client: the cluster is down, not the request wrong. */
function isTemporalUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const cause: unknown = 'cause' in err ? err.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  return err.name === 'ServiceError' && (code === 14 || code === 4);
}

export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof ApiError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  const parserError = bodyParserErrors[bodyParserType(err) ?? ''];
  if (parserError) {
    return {
      status: parserError.status,
      body: {
        error: {
          code: parserError.code,
          message: parserError.message,
          details: [{ field: 'body', message: parserError.message }],
        },
      },
    };
  }
  if (isTemporalUnavailable(err)) {
    const message = 'The workflow service is not reachable; try again shortly / 流程服务暂时无法连接，请稍后重试';
    return { status: 503, body: { error: { code: ErrorCode.TemporalUnavailable, message, details: [] } } };
  }
  return {
    status: 500,
    body: { error: { code: ErrorCode.Internal, message: 'Internal error / 内部错误', details: [] } },
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, body } = toErrorResponse(err);
    if (status >= 500) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, ErrorCode.NotFound, `No such resource / 未找到: ${req.method} ${req.baseUrl}${req.path}`));
};
