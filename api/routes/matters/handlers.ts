import type { z } from 'zod';
import { signedIn, type Principal } from '../../auth/principal';
import { callerScope } from '../../idempotency';
import type { RouteInput } from '../../route';
import type { ActionBodySchema, ListMattersQuerySchema, StartMatterSchema } from './schemas';
import { actOn, createMatter, listPage, pinnedBpmn, readMatter, type CallerKey, type MatterDeps } from './service';

/** The matters resource over HTTP: each handler reads its request and answers; the rules live in ./service.ts. */

type Input<P = unknown, Q = unknown, B = unknown> = RouteInput<P, Q, B>;

function callerKey(idempotencyKey: string | undefined, principal: Principal | undefined, req: Input['req']) {
  return idempotencyKey === undefined
    ? undefined
    : ({ key: idempotencyKey, scope: callerScope(principal, req) } satisfies CallerKey);
}

export async function startMatter(
  deps: MatterDeps,
  { body, idempotencyKey, principal, req, res }: Input<unknown, unknown, z.infer<typeof StartMatterSchema>>,
): Promise<void> {
  const started = await createMatter(deps, signedIn(principal), body, callerKey(idempotencyKey, principal, req));
  res.status(201).location(`/api/matters/${started.id}`).json(started);
}

export async function getMatter(deps: MatterDeps, { params, principal, res }: Input<{ id: string }>): Promise<void> {
  res.json(await readMatter(deps, params.id, principal));
}

export async function getMatterBpmn(deps: MatterDeps, { params, res }: Input<{ id: string }>): Promise<void> {
  res.type('application/xml').send(await pinnedBpmn(deps, params.id));
}

export async function actOnMatter(
  deps: MatterDeps,
  {
    params,
    body,
    idempotencyKey,
    principal,
    req,
    res,
  }: Input<{ id: string }, unknown, z.infer<typeof ActionBodySchema>>,
): Promise<void> {
  const key = callerKey(idempotencyKey, principal, req);
  res.json(await actOn(deps, params.id, signedIn(principal), body, key));
}

/**
 * Public list of matters from the read model, a page at a time in the visibility store's own order
 * (running first, newest first; then closed, latest closed first).
 */
export async function listMatters(
  deps: MatterDeps,
  { query, res }: Input<unknown, z.infer<typeof ListMattersQuerySchema>>,
): Promise<void> {
  res.json(await listPage(deps, query));
}
