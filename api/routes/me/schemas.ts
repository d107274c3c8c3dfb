import { z } from 'zod';
import { LabelSchema } from '../../../common/graph';
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
