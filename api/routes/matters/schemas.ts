import { z } from 'zod';
import { ActRequestSchema, ActorSchema } from '../../../common/matter';

export { IdempotencyKeySchema } from '../../headers';

const MatterIdSchema = z
  .string()
  .regex(/^matter-[A-Za-z0-9._:-]{1,128}$/, 'id must be a matter id as returned by POST /api/matters');

export const MatterParamsSchema = z.object({ id: MatterIdSchema });

/**
 * Until log-in exists (the "people and permissions" issue), the caller names who acts and in
 * which role; the workflow validator already enforces roles and recusal on that identity.
 */
export const StartMatterSchema = z.object({
  procedureId: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'procedureId must be a procedure id such as major-decision'),
  village: z.string().trim().min(1, 'village must not be empty').max(100),
  title: z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters'),
  actor: ActorSchema,
  /** The amount the matter is about (budget, payment); above the procedure's threshold it needs `links`. */
  amount: z.number().nonnegative('amount must be at least 0').optional(),
  /** Completed matters this one rests on, e.g. the major decision behind a project or a payment. */
  links: z.array(MatterIdSchema).max(5, 'at most 5 links').optional(),
});

export const ActionBodySchema = ActRequestSchema.extend({ step: ActRequestSchema.shape.step.default(null) });
