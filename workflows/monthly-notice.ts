import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
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
  type VillageInfo,
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

const VILLAGES_AT_ONCE = 5;

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
  // A bad month is a business error, not a bug to retry forever.
  if (!MonthSchema.safeParse(month).success)
    throw ApplicationFailure.nonRetryable(`month must be YYYY-MM, got ${JSON.stringify(month)}`, 'INVALID_DATA');
  const villages = await listVillages();
  const results: MonthlyNoticesResult['villages'] = [];
  // A few villages at a time: each reads all its matters of the month, and a district has many.
  for (let i = 0; i < villages.length; i += VILLAGES_AT_ONCE) {
    results.push(...(await Promise.all(villages.slice(i, i + VILLAGES_AT_ONCE).map(publishOne))));
  }
  return { month, villages: results };

  async function publishOne(village: VillageInfo): Promise<MonthlyNoticesResult['villages'][number]> {
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
  }
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
