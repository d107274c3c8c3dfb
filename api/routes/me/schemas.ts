import { z } from 'zod';
import { LabelSchema } from '../../../common/graph';
import { OpinionStatusSchema } from '../../../common/opinion';
import { UnreadSchema } from '../../read-model/schemas';
import { UserViewSchema } from '../auth/schemas';

export const TaskSchema = z.object({
  matterId: z.string(),
  title: z.string(),
  village: z.string(),
  procedure: z.object({ id: z.string(), name: LabelSchema }),
  step: z.object({ id: z.string(), name: LabelSchema, kind: z.string(), phase: z.string() }),
  deadline: z.string().optional(),
  overdue: z.boolean(),
  actions: z.array(z.string()),
  /** the user's role the task falls to */
  role: z.string(),
});
export type Task = z.infer<typeof TaskSchema>;

export const MeSchema = UserViewSchema.extend({
  villages: z.array(z.object({ id: z.string(), town: z.string(), name: LabelSchema, roles: z.array(z.string()) })),
});

/** An opinion (民意直通车) waiting for the signed-in chair, or for the town once a time limit passed. */
export const OpinionTaskSchema = z.object({
  opinionId: z.string(),
  village: z.string(),
  matterId: z.string().optional(),
  subject: z.string(),
  text: z.string(),
  status: OpinionStatusSchema,
  submittedAt: z.string(),
  /** the time limit of the next action: acknowledging, then answering */
  dueAt: z.string().optional(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  actions: z.array(z.enum(['acknowledge', 'answer'])),
  role: z.string(),
});
export type OpinionTask = z.infer<typeof OpinionTaskSchema>;

export const MyTasksQuerySchema = z.object({
  /** tasks per page (1–1000) */
  limit: z.coerce
    .number()
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(1000, 'limit must be at most 1000')
    .default(200),
  /** `nextCursor` of the page before */
  cursor: z.coerce
    .number()
    .int('cursor must be the nextCursor of an earlier page')
    .min(0, 'cursor must be the nextCursor of an earlier page')
    .optional(),
});

export const MyTasksSchema = z.object({
  tasks: z.array(TaskSchema),
  /** how many tasks there are in all pages */
  total: z.number().int(),
  /** absent on the last page */
  nextCursor: z.string().optional(),
  unread: UnreadSchema,
  opinions: z.array(OpinionTaskSchema),
});
