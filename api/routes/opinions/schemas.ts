import { z } from 'zod';
import { ContactSchema, OPINION_TEXT_MAX, OpinionStatusSchema } from '../../../common/opinion';
import { MatterIdSchema, VillageIdSchema } from '../matters/schemas';

export const SubmitOpinionSchema = z
  .object({
    village: VillageIdSchema,
    /** the matter the opinion is about, if any */
    matterId: MatterIdSchema.optional(),
    subject: z.string().trim().min(1, 'subject must not be empty').max(100, 'subject must be at most 100 characters'),
    text: z
      .string()
      .trim()
      .min(1, 'text must not be empty')
      .max(OPINION_TEXT_MAX, `text must be at most ${OPINION_TEXT_MAX} characters`),
    /** optional, never public: only the supervisory chair and the town see it */
    contact: ContactSchema.optional(),
    /** false: the answer is given to the resident (tracking code) but not published */
    publishAnswer: z.boolean().default(true),
  })
  .strict();

export const SubmittedOpinionSchema = z.object({
  opinionId: z.string(),
  trackingCode: z.string().describe('keep it: the only way to follow the opinion / 请保存查询码'),
  trackUrl: z.string(),
});

export const OpinionIdSchema = z
  .string()
  .regex(/^opinion-[0-9a-f]{24}$/, 'id must be an opinion id as returned by POST /api/opinions');
export const OpinionParamsSchema = z.object({ id: OpinionIdSchema });
export const TrackParamsSchema = z.object({
  code: z.string().min(16).max(24).describe('the tracking code, with or without dashes'),
});

export const ListOpinionsQuerySchema = z.object({
  village: VillageIdSchema,
  status: OpinionStatusSchema.optional(),
});

export const AcknowledgeBodySchema = z.object({ note: z.string().trim().max(2000).optional() }).strict();
export const AnswerBodySchema = z
  .object({ answer: z.string().trim().min(1, 'answer must not be empty').max(OPINION_TEXT_MAX) })
  .strict();

export const PublicOpinionSchema = z.object({
  opinionId: z.string(),
  village: z.string(),
  matterId: z.string().optional(),
  subject: z.string(),
  text: z.string(),
  status: OpinionStatusSchema,
  submittedAt: z.string(),
  acknowledgeDueAt: z.string().optional(),
  answerDueAt: z.string().optional(),
  acknowledgedAt: z.string().optional(),
  answeredAt: z.string().optional(),
  answer: z.string().optional(),
  answerWithheld: z.boolean().optional(),
  escalated: z.boolean(),
});

/** What the chair and the town see: the public view plus contact details and who acted. */
export const FullOpinionSchema = PublicOpinionSchema.extend({
  access: z.enum(['public', 'full', 'resident']),
  contact: ContactSchema.optional(),
  acknowledgedBy: z.object({ userId: z.string(), role: z.string() }).optional(),
  answeredBy: z.object({ userId: z.string(), role: z.string() }).optional(),
  escalations: z.array(z.object({ deadline: z.enum(['acknowledge', 'answer']), at: z.string() })).optional(),
});
