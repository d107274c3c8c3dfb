import { z } from 'zod';
import { LabelSchema, RoleSchema } from '../../../common/graph';
import { UnreadSchema } from '../../../stores/read-model/schemas';
import { VillageIdSchema } from '../matters/schemas';

export const OverdueQuerySchema = z.object({ village: VillageIdSchema });
export const YearlyQuerySchema = z.object({
  village: VillageIdSchema,
  /** default: this year (China time) */
  year: z.coerce.number().int('year must be a whole number').min(2000).max(2100).optional(),
});

const HolderSchema = z.object({ id: z.string(), name: z.string(), role: RoleSchema });

export const OverdueSchema = z.object({
  village: z.string(),
  generatedAt: z.string(),
  items: z.array(
    z.object({
      kind: z.enum(['step', 'opinion', 'objection']),
      village: z.string(),
      id: z.string(),
      title: z.string(),
      procedure: z.object({ id: z.string(), name: LabelSchema }).optional(),
      step: z.string(),
      stepName: LabelSchema,
      since: z.string(),
      overdueSince: z.string(),
      roles: z.array(z.object({ role: RoleSchema, people: z.array(HolderSchema) })),
    }),
  ),
  unread: UnreadSchema,
});

export const YearlyReportSchema = z.object({
  village: z.string(),
  year: z.number(),
  generatedAt: z.string(),
  matters: z.object({
    total: z.number(),
    byProcedure: z.array(
      z.object({
        procedure: z.string(),
        name: LabelSchema.optional(),
        started: z.number(),
        byOutcome: z.record(z.string(), z.number()),
      }),
    ),
  }),
  objections: z.object({
    total: z.number(),
    items: z.array(
      z.object({
        matterId: z.string(),
        title: z.string(),
        step: z.string().nullable(),
        at: z.string(),
        status: z.string(),
        resolution: z.string().optional(),
      }),
    ),
  }),
  overdue: z.object({
    total: z.number(),
    items: z.array(
      z.object({ matterId: z.string(), title: z.string(), procedure: z.string(), step: z.string(), at: z.string() }),
    ),
  }),
  stepTimes: z.array(z.object({ procedure: z.string(), step: z.string(), count: z.number(), medianHours: z.number() })),
  opinions: z.object({
    submitted: z.number(),
    answered: z.number(),
    answeredOnTime: z.number(),
    escalated: z.number(),
    onTimeRate: z.number().nullable(),
  }),
  unread: UnreadSchema,
});
