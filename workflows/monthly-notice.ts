import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  executeChild,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  MonthSchema,
  monthlyNoticeWorkflowId,
  previousMonth,
  type PublishNoticeResult,
} from '../common/monthly-notice';
import { ScheduledStartTime } from '../common/search-attributes';

const { listVillages } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10 },
});
// Composing reads every matter of the village for the month (one query each): give it time.
const { publishMonthlyNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 20 },
});

export interface MonthlyNoticesInput {
  /** YYYY-MM; omitted (the Schedule) → the month before the scheduled time, China time */
  month?: string;
}

export interface MonthlyNoticesResult {
  month: string;
  villages: { village: string; result: 'published' | 'already-published' }[];
}

/**
 * 三务公开, started by the Schedule on the 1st of each month (Asia/Shanghai): one child per
 * village of the directory, each with the deterministic id `monthly-notice-<village>-<month>`.
 * A second start for the same month (a retry, a backfill, two overlapping runs) is refused by
 * the id reuse policy, and the store below it writes a month once, so nothing publishes twice.
 */
export async function monthlyNotices(input: MonthlyNoticesInput = {}): Promise<MonthlyNoticesResult> {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(ScheduledStartTime);
  const month = input.month ?? previousMonth((scheduled ?? info.runStartTime).getTime());
  MonthSchema.parse(month);
  const villages = await listVillages();
  const results = await Promise.all(
    villages.map(async (village): Promise<MonthlyNoticesResult['villages'][number]> => {
      try {
        const published = await executeChild(monthlyNotice, {
          workflowId: monthlyNoticeWorkflowId(village.id, month),
          args: [{ village: village.id, villageName: village.name, town: village.town, month }],
          // A failed attempt may be run again; a published month may not.
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        return { village: village.id, result: published.created ? 'published' : 'already-published' };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          return { village: village.id, result: 'already-published' };
        throw err;
      }
    }),
  );
  return { month, villages: results };
}

export interface MonthlyNoticeInput {
  village: string;
  villageName?: { zh: string; en: string };
  town?: string;
  month: string;
}

/** One village, one month. */
export async function monthlyNotice(input: MonthlyNoticeInput): Promise<PublishNoticeResult> {
  return publishMonthlyNotice({ ...input, publishedBy: workflowInfo().workflowId });
}
