import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ErrorCode } from '../../../common/errors';
import { PING_WORKFLOW, PingResultSchema, type PingInput, type PingResult } from '../../../common/ping';
import { ApiError } from '../../errors';
import type { RouteInput } from '../../route';

export interface PingDeps {
  client: Client;
  taskQueue: string;
}

export async function startPing(
  deps: PingDeps,
  { body, idempotencyKey, res }: RouteInput<unknown, unknown, PingInput>,
) {
  const workflowId = `ping-${idempotencyKey ?? randomUUID()}`;
  try {
    // The idempotency key is the workflow id: a retried request finds the same run.
    await deps.client.workflow.start(PING_WORKFLOW, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [body],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  res.status(202).location(`/api/pings/${workflowId}`).json({ id: workflowId });
}

export async function getPing(deps: PingDeps, { params, res }: RouteInput<{ id: string }, unknown, unknown>) {
  const { id } = params;
  const handle = deps.client.workflow.getHandle(id);
  const notFound = new ApiError(404, ErrorCode.NotFound, `No ping with id ${id} / 未找到该记录`);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound;
    throw err;
  }
  if (description.type !== PING_WORKFLOW) throw notFound;
  const status = description.status.name;
  const result: PingResult | undefined =
    status === 'COMPLETED' ? PingResultSchema.parse(await handle.result()) : undefined;
  res.json({ id, status, startedAt: description.startTime.toISOString(), result });
}
