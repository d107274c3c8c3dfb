import { z } from 'zod';
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
});
