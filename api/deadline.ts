import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';
import { ErrorCode } from '../common/errors';
import { ApiError, toErrorResponse } from './errors';

/**
 * Every call a request makes to Temporal ends by the request's deadline: a gRPC deadline carried
 * by the client's call context (AsyncLocalStorage), so a route cannot forget it, and gRPC cancels
 * whatever is still pending when it passes. Shorter deadlines set inside a route (per-matter reads)
 * still apply; once the request's time is up it answers 503 in the error shape, whatever the route
 * was still waiting for. Mounted after the body parser, so the context is the route's.
 *
 * No abort signal rides along: the client adds one 'abort' listener per gRPC call to the context's
 * signal and never removes it, so one signal per request gathered a listener for every call a
 * list or board read makes (one query per matter without a summary) and flooded the log with
 * MaxListenersExceededWarning. The deadline alone cancels the same calls at the same moment; a
 * client that hangs up leaves its calls to run out by that deadline.
 */
export function temporalDeadline(client: Client, ms: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      // Give the route a moment to map its cancelled call itself, then answer for it.
      setTimeout(() => {
        if (res.headersSent) return;
        const { status, body } = toErrorResponse(
          new ApiError(
            503,
            ErrorCode.TemporalUnavailable,
            `The workflow service did not answer within ${Math.round(ms / 1000)} s; try again shortly / 流程服务未能及时响应，请稍后重试`,
          ),
        );
        res.status(status).set('Retry-After', '5').json(body);
      }, 250).unref();
    }, ms);
    timer.unref();
    res.on('close', () => clearTimeout(timer));
    void client.withDeadline(Date.now() + ms, async () => {
      next();
    });
  };
}
