import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';
import { ErrorCode } from '../common/errors';
import { ApiError, toErrorResponse } from './errors';

/**
 * Every call a request makes to Temporal ends by the request's deadline: a gRPC deadline and an
 * abort signal carried by the client's call context (AsyncLocalStorage), so a route cannot forget
 * it. Shorter deadlines set inside a route (per-matter reads) still apply; once the request's time
 * is up its pending calls are cancelled and it answers 503 in the error shape, whatever the route
 * was still waiting for. Mounted after the body parser, so the context is the route's.
 */
export function temporalDeadline(client: Client, ms: number): RequestHandler {
  return (req, res, next) => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
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
    res.on('close', () => {
      clearTimeout(timer);
      controller.abort();
    });
    void client.withAbortSignal(controller.signal, () =>
      client.withDeadline(Date.now() + ms, async () => {
        next();
      }),
    );
  };
}
