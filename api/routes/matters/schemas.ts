import { z } from 'zod';
import { ActRequestSchema, ActorSchema } from '../../../common/matter';

export { IdempotencyKeySchema } from '../../headers';

export const MatterParamsSchema = z.object({
  id: z.string().regex(/^matter-[A-Za-z0-9._:-]{1,128}$/, 'id must be a matter id as returned by POST /api/matters'),
});

/**
 * Until log-in exists (the "people and permissions" issue), the caller names who acts and in
 * which role; the workflow validator already enforces roles and recusal on that identity.
 */
export const StartMatterSchema = z.object({
  procedureId: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'procedureId must be a procedure id such as major-decision'),
  village: z.string().trim().min(1, 'village must not be empty').max(100),
  title: z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters'),
  actor: ActorSchema,
});

export const ActionBodySchema = ActRequestSchema.extend({ step: ActRequestSchema.shape.step.default(null) });
