import { z } from 'zod';

/** POST endpoints take an Idempotency-Key; it becomes the workflow id or the update id. */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'Idempotency-Key must be 1–128 letters, digits or . _ : -')
  .optional();
