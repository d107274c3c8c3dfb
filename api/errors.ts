import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
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
  'entity.too.deep': {
    status: 400,
    code: ErrorCode.MalformedJson,
    message: 'Request body is nested too deeply / 请求体嵌套层数过多',
  },
  'charset.unsupported': {
    status: 415,
    code: ErrorCode.UnsupportedMediaType,
    message: 'Unsupported charset / 不支持的字符集',
  },
};

/**
 * Other errors of express and its parsers that carry a 4xx status (http-errors): a malformed `%`
 * escape in the path (the router's URIError), a body that does not decode as its Content-Encoding
 * says. The request is wrong, so it is told so in the one shape; their own messages stay out.
 */
function clientError(err: unknown): { status: number; code: ErrorCode; message: string; field: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = 'status' in err ? err.status : 'statusCode' in err ? err.statusCode : undefined;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (err instanceof URIError) {
    return {
      status: 400,
      code: ErrorCode.InvalidRequest,
      message: 'The path has a malformed % escape / 请求路径中的 % 编码无效',
      field: 'path',
    };
  }
  if (status === 413)
    return {
      status,
      code: ErrorCode.PayloadTooLarge,
      message: 'Request body is too large / 请求体过大',
      field: 'body',
    };
  if (status === 415)
    return {
      status,
      code: ErrorCode.UnsupportedMediaType,
      message: 'Unsupported request body / 不支持的请求体格式',
      field: 'body',
    };
  return {
    status,
    code: ErrorCode.InvalidRequest,
    message: 'The request body could not be read (Content-Encoding, Content-Length?) / 无法读取请求体',
    field: 'body',
  };
}

function bodyParserType(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string') return err.type;
  return undefined;
}

/** The error and its causes (the Temporal client wraps gRPC errors in its own). */
function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; typeof e === 'object' && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_UNAVAILABLE = 14;
const UNAVAILABLE_CODES: unknown[] = [
  GRPC_CANCELLED,
  GRPC_DEADLINE_EXCEEDED,
  GRPC_RESOURCE_EXHAUSTED,
  GRPC_UNAVAILABLE,
];

/**
 * Temporal down, slow past the request's deadline (api/app.ts sets one on every call), or without
 * a worker: the service is unavailable, the request is not wrong. Anything else is not Temporal's.
 */
function temporalUnavailable(err: unknown): ErrorCode | undefined {
  const chain = causes(err);
  const text = (e: unknown) =>
    e instanceof Error ? `${e.message} ${'details' in e && typeof e.details === 'string' ? e.details : ''}` : '';
  if (chain.some((e) => /no poller seen/i.test(text(e)))) return ErrorCode.NoWorker;
  const grpc = chain.some(
    (e) => typeof e === 'object' && e !== null && 'metadata' in e && 'code' in e && UNAVAILABLE_CODES.includes(e.code),
  );
  const updateTimedOut = chain.some((e) => e instanceof WorkflowUpdateRPCTimeoutOrCancelledError);
  return grpc || updateTimedOut ? ErrorCode.TemporalUnavailable : undefined;
}

const UNAVAILABLE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.TemporalUnavailable]:
    'The workflow service did not answer in time; try again shortly / 流程服务暂时无法响应，请稍后重试',
  [ErrorCode.NoWorker]:
    'No worker is running the procedures right now; try again shortly / 流程处理程序暂未运行，请稍后重试',
};

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
  const client = clientError(err);
  if (client) {
    const { status, code, message, field } = client;
    return { status, body: { error: { code, message, details: [{ field, message }] } } };
  }
  const unavailable = temporalUnavailable(err);
  if (unavailable) {
    const message = UNAVAILABLE_MESSAGES[unavailable] ?? unavailable;
    return { status: 503, body: { error: { code: unavailable, message, details: [] } } };
  }
  return {
    status: 500,
    body: { error: { code: ErrorCode.Internal, message: 'Internal error / 内部错误', details: [] } },
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Answered already (e.g. 503 when the request's time ran out) and the handler failed later: nothing to add.
      if (res.writableEnded) return;
      next(err);
      return;
    }
    const { status, body } = toErrorResponse(err);
    if (status === 503) res.set('Retry-After', '5');
    if (status >= 500) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, ErrorCode.NotFound, `No such resource / 未找到: ${req.method} ${req.baseUrl}${req.path}`));
};
