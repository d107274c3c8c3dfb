import { z } from 'zod';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApiError, parseInput, toErrorResponse } from '../../api/errors';

describe('the one error shape', () => {
  test('given an unknown error, then 500 with no internals in the body', () => {
    const { status, body } = toErrorResponse(new TypeError('secret internals at /work/main/x.ts:1'));

    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('internals');
    expect(body.error.code).toBe('INTERNAL');
  });

  test('given a zod failure through parseInput, then 400 with the dotted field path', () => {
    const schema = z.object({ person: z.object({ phone: z.string().regex(/^\d{11}$/, 'phone must be 11 digits') }) });
    let caught: unknown;
    try {
      parseInput(schema, { person: { phone: '123' } }, 'body');
    } catch (err) {
      caught = err;
    }

    expect(caught).toBeInstanceOf(ApiError);
    const { status, body } = toErrorResponse(caught);
    expect(status).toBe(400);
    expect(body.error.details).toEqual([{ field: 'body.person.phone', message: 'phone must be 11 digits' }]);
    expect(body.error.message).toContain('body.person.phone');
  });

  test('given a body-parser error object, then its status and a JSON error code', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });

    const { status, body } = toErrorResponse(tooLarge);

    expect(status).toBe(413);
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('given Temporal errors, then 503 with the code saying which part is missing, and anything else stays 500', () => {
    const grpc = (code: number, details: string) =>
      Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
    const wrapped = (cause: Error) =>
      Object.assign(new Error('Workflow query failed'), { name: 'ServiceError', cause });

    const noPoller = toErrorResponse(wrapped(grpc(9, 'no poller seen for task queue recently, worker may be down')));
    const deadline = toErrorResponse(wrapped(grpc(4, 'Deadline exceeded')));
    const update = toErrorResponse(
      new WorkflowUpdateRPCTimeoutOrCancelledError('Workflow update call timeout or cancelled', {
        cause: grpc(1, 'Cancelled'),
      }),
    );
    const notTemporal = toErrorResponse(Object.assign(new Error('x'), { code: 4 }));
    const precondition = toErrorResponse(wrapped(grpc(9, 'something else')));

    expect(noPoller.status).toBe(503);
    expect(noPoller.body.error.code).toBe('NO_WORKER');
    expect(deadline.status).toBe(503);
    expect(deadline.body.error.code).toBe('TEMPORAL_UNAVAILABLE');
    expect(deadline.body.error.message).toMatch(/请稍后重试/);
    expect(update.body.error.code).toBe('TEMPORAL_UNAVAILABLE');
    expect(notTemporal.status).toBe(500);
    expect(precondition.status).toBe(500);
  });
});
