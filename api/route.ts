import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../common/errors';
import type { Principal } from './auth/principal';
import { ApiError, parseInput } from './errors';
import { IdempotencyKeySchema } from './headers';

/**
 * Every API route is declared once, here-shaped: its zod schemas parse the request before the
 * handler runs, and the same schemas produce the OpenAPI document. A route cannot be served
 * without being documented, nor documented with a schema it does not enforce.
 */

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** validated `Idempotency-Key` header */
  idempotencyKey: string | undefined;
  /** the signed-in user (cookie or Bearer token); always set on `auth: 'login'` routes */
  principal: Principal | undefined;
  req: Request;
  res: Response;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** default application/json */
  contentType?: string;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: 'get' | 'post';
  /** express style, relative to /api, e.g. `/matters/:id/record` */
  path: string;
  summary: string;
  tags: string[];
  /** `login`: 401 before the handler when nobody is signed in */
  auth: 'public' | 'login';
  params?: P;
  query?: Q;
  body?: B;
  /** documents (and validates) the Idempotency-Key header */
  idempotent?: boolean;
  responses: Record<number, ResponseSpec>;
  /** runs before parsing, e.g. a rate limiter for this route only */
  middleware?: RequestHandler[];
  handle(input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<void> | void;
}

/** A route with its types erased, so lists of different routes can be mounted and documented together. */
export interface RouteDef {
  method: 'get' | 'post';
  path: string;
  summary: string;
  tags: string[];
  auth: 'public' | 'login';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  idempotent: boolean;
  responses: Record<number, ResponseSpec>;
  middleware: RequestHandler[];
  handler: RequestHandler;
}

export function defineRoute<
  P extends z.ZodType = z.ZodObject<Record<string, never>>,
  Q extends z.ZodType = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUnknown,
>(spec: RouteSpec<P, Q, B>): RouteDef {
  const handler: RequestHandler = async (req, res) => {
    const principal = principalOf(res);
    if (spec.auth === 'login' && !principal) {
      const expired = res.locals.authProblem === 'expired';
      throw new ApiError(
        401,
        ErrorCode.Unauthenticated,
        expired
          ? 'Your session has expired; please sign in again / 登录已过期，请重新登录'
          : 'Please sign in first / 请先登录',
      );
    }
    const input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>> = {
      params: (spec.params ? parseInput(spec.params, req.params, 'params') : {}) as z.infer<P>,
      query: (spec.query ? parseInput(spec.query, req.query, 'query') : {}) as z.infer<Q>,
      body: (spec.body ? parseInput(spec.body, req.body ?? {}, 'body') : undefined) as z.infer<B>,
      idempotencyKey: spec.idempotent
        ? parseInput(IdempotencyKeySchema, req.get('Idempotency-Key'), 'header.Idempotency-Key')
        : undefined,
      principal,
      req,
      res,
    };
    await spec.handle(input);
  };
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tags: spec.tags,
    auth: spec.auth,
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { query: spec.query } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    idempotent: spec.idempotent ?? false,
    responses: spec.responses,
    middleware: spec.middleware ?? [],
    handler,
  };
}

const PRINCIPAL = 'principal';

/** Set by the authentication middleware (api/auth/middleware.ts). */
export function setPrincipal(res: Response, principal: Principal | undefined): void {
  res.locals[PRINCIPAL] = principal;
}

function principalOf(res: Response): Principal | undefined {
  const value: unknown = res.locals[PRINCIPAL];
  return value === undefined ? undefined : (value as Principal);
}

export function mountRoutes(routes: RouteDef[]): Router {
  const router = Router();
  for (const route of routes) router[route.method](route.path, ...route.middleware, route.handler);
  return router;
}

/** `/matters/:id` → `/matters/{id}` */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string().optional(), message: z.string() })),
  }),
});

/** The OpenAPI 3.1 document of the routes, generated from the very schemas that parse requests. */
export function openApiDocument(routes: RouteDef[], info: { title: string; version: string }): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'xwql_session' });
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: ErrorBodySchema } },
  });
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = spec.schema
        ? {
            description: spec.description,
            content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } },
          }
        : { description: spec.description };
    }
    if (route.params || route.query || route.body || route.idempotent) {
      responses['400'] ??= errorResponse('Malformed request: `details[].field` names the field / 请求格式错误');
    }
    if (route.auth === 'login') responses['401'] ??= errorResponse('Not signed in / 未登录');
    registry.registerPath({
      method: route.method,
      path: `/api${openApiPath(route.path)}`,
      summary: route.summary,
      tags: route.tags,
      ...(route.auth === 'login' ? { security: [{ session: [] }, { bearer: [] }] } : {}),
      request: {
        ...(route.params instanceof z.ZodObject ? { params: route.params } : {}),
        ...(route.query instanceof z.ZodObject ? { query: route.query } : {}),
        ...(route.idempotent ? { headers: z.object({ 'Idempotency-Key': IdempotencyKeySchema }) } : {}),
        ...(route.body ? { body: { content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses: responses as never,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      ...info,
      description: '小微权力 API. Errors share one shape: `{"error": {"code", "message", "details"}}`.',
    },
    servers: [{ url: '/' }],
  });
}
