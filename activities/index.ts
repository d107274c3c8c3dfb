import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { PingResult } from '../common/ping';
import type { Duration } from '../common/graph';
import { createReadModel, type MatterProjection } from '../stores/read-model';
import {
  composeMonthlyNotice,
  monthRange,
  type NoticeStorePort,
  type PublishNoticeInput,
  type PublishNoticeResult,
  type VillageInfo,
} from '../common/monthly-notice';
import { dueAt } from './calendar';
import { findRecentPayments, type RecentPaymentsInput } from './payments';

export interface ActivityDeps {
  /** Injected so tests and replays control time; the worker passes the real clock. */
  now: () => Date;
  /** For activities that read other matters (visibility). */
  client?: Client;
  /** The villages of the directory (DIRECTORY_FILE), read when the monthly notices go out. */
  villages?: () => VillageInfo[];
  /** Where monthly notices are kept (stores/notices.ts under DATA_DIR). */
  notices?: NoticeStorePort;
  /** The matter projection every list reads (stores/read-model/projection.ts, under DATA_DIR). */
  projection?: MatterProjection;
}

export function createActivities(deps: ActivityDeps) {
  return {
    async composeGreeting(name: string): Promise<PingResult> {
      return { greeting: `你好，${name}！Hello, ${name}!`, greetedAt: deps.now().toISOString() };
    },
    async computeDueAt(input: { from: number; duration: Duration }): Promise<number> {
      return dueAt(input.from, input.duration);
    },
    async recentPayments(input: RecentPaymentsInput): Promise<{ matterId: string; amount: number }[]> {
      if (!deps.client)
        throw ApplicationFailure.nonRetryable('the worker was started without a Temporal client', 'NO_CLIENT');
      return findRecentPayments(deps.client, input);
    },
    async listVillages(): Promise<VillageInfo[]> {
      if (!deps.villages)
        throw ApplicationFailure.nonRetryable('the worker was started without a directory', 'NO_DIRECTORY');
      return deps.villages();
    },
    /** 三务公开: composes and keeps a village's notice for a month, unless one already stands. */
    async publishMonthlyNotice(input: PublishNoticeInput): Promise<PublishNoticeResult> {
      const { client, notices, projection } = deps;
      if (!client || !notices || !projection)
        throw ApplicationFailure.nonRetryable('the worker was started without a notice store', 'NO_NOTICE_STORE');
      const existing = await notices.get(input.village, input.month);
      if (existing) return { created: false, notice: existing };
      // Strict: a notice is written once, so a matter that cannot be read now fails the attempt.
      const board = createReadModel(client, projection);
      const period = monthRange(input.month);
      // Payments count by their payment date, which may precede the month the matter closed in.
      const [alive, paid, opinions] = await Promise.all([
        board.reportMatters(input.village, period, true),
        board.paid(input.village, period.from, true),
        board.opinions(input.village, period, true),
      ]);
      const matters = [...new Map([...alive.matters, ...paid.matters].map((m) => [m.matterId, m])).values()];
      const notice = composeMonthlyNotice({
        ...input,
        publishedAt: deps.now().toISOString(),
        matters,
        opinions: opinions.opinions,
      });
      return notices.putIfAbsent(notice);
    },
    /** serviceTask actions; none of the shipped procedures uses one yet, so each is a recorded no-op. */
    async runServiceAction(input: { matterId: string; action: string }): Promise<{ action: string; done: true }> {
      return { action: input.action, done: true };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
