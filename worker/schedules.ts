import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { CHINA_TIME_ZONE, MONTHLY_NOTICES_WORKFLOW, MONTHLY_NOTICE_SCHEDULE_ID } from '../common/monthly-notice';

export interface MonthlyScheduleOptions {
  taskQueue: string;
  /** tests use their own, so that they never touch the real one */
  scheduleId?: string;
}

/**
 * 三务公开 on the 1st of every month, Asia/Shanghai, at 01:00 (an hour's grace for entries made
 * late on the last day). One Schedule fans out to every village of the directory.
 */
export function monthlyNoticeSchedule(options: MonthlyScheduleOptions): ScheduleOptions {
  const scheduleId = options.scheduleId ?? MONTHLY_NOTICE_SCHEDULE_ID;
  return {
    scheduleId,
    spec: { calendars: [{ dayOfMonth: 1, hour: 1, minute: 0 }], timezone: CHINA_TIME_ZONE },
    action: {
      type: 'startWorkflow',
      workflowType: MONTHLY_NOTICES_WORKFLOW,
      args: [{}],
      taskQueue: options.taskQueue,
      workflowId: scheduleId,
    },
    policies: {
      // Months never overlap in what they publish, and each is idempotent.
      overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      // Down on the 1st? The month is published when the server and a worker are back, within a week.
      catchupWindow: '7 days',
    },
    memo: { purpose: '三务公开 monthly notices / monthly disclosure board' },
  };
}

/**
 * Creates the Schedule, or brings an existing one up to date (spec and action) — safe to call on
 * every start of every worker.
 */
export async function ensureMonthlyNoticeSchedule(
  client: Client,
  options: MonthlyScheduleOptions,
): Promise<'created' | 'updated'> {
  const wanted = monthlyNoticeSchedule(options);
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(wanted.scheduleId).update((previous) => ({
    ...previous,
    spec: wanted.spec,
    action: wanted.action,
    policies: { ...previous.policies, ...wanted.policies },
  }));
  return 'updated';
}
