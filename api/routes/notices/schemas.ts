import { z } from 'zod';
import { LabelSchema } from '../../../common/graph';
import { MonthSchema } from '../../../common/monthly-notice';
import { UnreadSchema } from '../../read-model/schemas';
import { VillageIdSchema } from '../matters/schemas';

export const NoticesQuerySchema = z.object({ village: VillageIdSchema });
export const NoticeParamsSchema = z.object({ village: VillageIdSchema, month: MonthSchema });

export const BoardSchema = z.object({
  village: z.string(),
  /** 三务公开: one notice per month, newest first */
  monthly: z.array(z.object({ month: z.string(), url: z.string(), printUrl: z.string() })),
  /** 一事一公开: the disclosures of running matters */
  disclosures: z.array(
    z.object({
      matterId: z.string(),
      title: z.string(),
      procedure: z.object({ id: z.string(), name: LabelSchema }),
      step: z.string(),
      publishedAt: z.string(),
      endsAt: z.string().optional(),
      open: z.boolean(),
    }),
  ),
  unread: UnreadSchema,
});

const NoticeMatterSchema = z.object({
  matterId: z.string(),
  procedure: z.object({ id: z.string(), name: LabelSchema }),
  title: z.string(),
  startedAt: z.string(),
  closedAt: z.string().optional(),
  outcome: z.string().optional(),
  amount: z.number().optional(),
});

export const MonthlyNoticeSchema = z.object({
  kind: z.literal('monthly'),
  village: z.string(),
  villageName: LabelSchema.optional(),
  town: z.string().optional(),
  month: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  publishedAt: z.string(),
  publishedBy: z.string(),
  payments: z.array(
    z.object({
      matterId: z.string(),
      title: z.string(),
      amount: z.number(),
      purpose: z.string(),
      payee: z.string().describe('individuals are masked / 个人收款人姓名已隐去'),
      payeeKind: z.string(),
      paidOn: z.string(),
    }),
  ),
  totals: z.object({ payments: z.number(), amount: z.number() }),
  mattersStarted: z.array(NoticeMatterSchema),
  mattersFinished: z.array(NoticeMatterSchema),
  opinions: z.array(
    z.object({
      opinionId: z.string(),
      subject: z.string(),
      text: z.string(),
      matterId: z.string().optional(),
      status: z.string(),
      submittedAt: z.string(),
      answeredAt: z.string().optional(),
      answer: z.string().optional(),
      answerWithheld: z.boolean().optional(),
    }),
  ),
});
