import { z } from 'zod';
import { ActRequestSchema } from '../../../common/matter';
import { RoleSchema } from '../../../common/graph';

export const MatterIdSchema = z
  .string()
  .regex(/^matter-[A-Za-z0-9._:-]{1,128}$/, 'id must be a matter id as returned by POST /api/matters');

export const MatterParamsSchema = z.object({ id: MatterIdSchema });

export const VillageIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'village must be a village id such as xinglong');

/** The actor is the signed-in user; `role` says in which of their roles they act, when they hold several. */
export const StartMatterSchema = z.object({
  procedureId: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'procedureId must be a procedure id such as major-decision'),
  village: VillageIdSchema,
  title: z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters'),
  role: RoleSchema.optional(),
  /** The amount the matter is about (budget, payment); above the procedure's threshold it needs `links`. */
  amount: z.number().nonnegative('amount must be at least 0').optional(),
  /** Completed matters this one rests on, e.g. the major decision behind a project or a payment. */
  links: z.array(MatterIdSchema).max(5, 'at most 5 links').optional(),
});

export const ActionBodySchema = z.object({
  step: ActRequestSchema.shape.step.default(null),
  action: ActRequestSchema.shape.action,
  data: ActRequestSchema.shape.data,
  comment: ActRequestSchema.shape.comment,
  role: RoleSchema.optional(),
});

export const ListMattersQuerySchema = z.object({
  village: VillageIdSchema.optional(),
  procedure: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,63}$/, 'procedure must be a procedure id')
    .optional(),
  status: z.enum(['running', 'suspended', 'ended']).optional(),
  /** matters per page (1–500) */
  limit: z.coerce
    .number()
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(500, 'limit must be at most 500')
    .default(100),
  /** `nextCursor` of the page before */
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{16}$/, 'cursor must be the nextCursor of an earlier page')
    .optional(),
});

export const MatterSummarySchema = z.object({
  id: z.string(),
  village: z.string(),
  procedure: z.object({ id: z.string() }),
  title: z.string(),
  status: z.enum(['running', 'suspended', 'ended']),
  outcome: z.string().optional(),
  activeSteps: z.array(z.string()),
  amount: z.number().optional(),
  startedAt: z.string(),
  closedAt: z.string().optional(),
});
export type MatterSummary = z.infer<typeof MatterSummarySchema>;

export const StartedSchema = z.object({
  id: z.string(),
  procedure: z.object({ id: z.string(), version: z.string() }),
});

export const ActResultSchema = z.object({
  seq: z.number(),
  status: z.string(),
  activeSteps: z.array(z.string()),
});

/** The state of a matter (see common/matter.ts MatterView); documented loosely, it follows the procedure. */
export const MatterViewSchema = z
  .object({
    matterId: z.string(),
    access: z.enum(['public', 'full']),
    village: z.string(),
    title: z.string(),
    status: z.string(),
    linkedFrom: z.array(z.string()),
  })
  .loose();
