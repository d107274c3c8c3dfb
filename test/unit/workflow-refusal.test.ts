import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError, toErrorResponse, workflowRefusal } from '../../api/errors';
import { ActionErrorCode } from '../../common/engine';
import { ERROR_STATUS, ErrorCode } from '../../common/errors';

/** How the matter and opinion workflows refuse an update: a non-retryable failure typed with the code. */
function refused(type: string, details: unknown[] = []): WorkflowUpdateFailedError {
  const failure = ApplicationFailure.create({ message: `refused: ${type}`, type, nonRetryable: true, details });
  return new WorkflowUpdateFailedError('Workflow Update failed', failure);
}

describe('a workflow refusal answers with the one status of its code', () => {
  test.each([
    [ErrorCode.StepNotActive, 409],
    [ErrorCode.ActionNotAllowed, 409],
    [ErrorCode.Suspended, 409],
    [ErrorCode.Ended, 409],
    [ErrorCode.RoleNotAllowed, 403],
    [ErrorCode.Recused, 403],
    [ErrorCode.InvalidData, 422],
    [ErrorCode.ReasonRequired, 422],
    [ErrorCode.NoSuchObjection, 422],
    [ErrorCode.LinkRequired, 422],
  ])('given the refusal %s, then %i', (code, status) => {
    const error = workflowRefusal(refused(code));
    expect(error).toBeInstanceOf(ApiError);
    expect({ status: error?.status, code: error?.code }).toEqual({ status, code });
  });

  test('given every refusal the engine can give, then each has a 4xx status', () => {
    for (const code of Object.values(ActionErrorCode)) expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    for (const code of Object.values(ActionErrorCode)) expect(ERROR_STATUS[code]).toBeLessThan(500);
  });

  test('given a refusal naming the fields at fault, then the answer names them too', () => {
    const fields = [{ field: 'data.amount', message: 'must be positive' }];
    const { status, body } = toErrorResponse(refused(ErrorCode.InvalidData, [fields]));
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: ErrorCode.InvalidData, details: fields });
  });

  test('given a failure typed with no code, or with a code of the server’s own, then it is no refusal (500)', () => {
    expect(workflowRefusal(refused('SomethingElse'))).toBeUndefined();
    expect(workflowRefusal(refused(ErrorCode.Internal))).toBeUndefined();
    expect(workflowRefusal(new Error('plain'))).toBeUndefined();
    expect(toErrorResponse(refused('SomethingElse')).status).toBe(500);
  });
});
