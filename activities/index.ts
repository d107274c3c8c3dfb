import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { PingResult } from '../common/ping';
import type { Duration } from '../common/graph';
import { dueAt } from './calendar';
import { findRecentPayments, type RecentPaymentsInput } from './payments';

export interface ActivityDeps {
  /** Injected so tests and replays control time; the worker passes the real clock. */
  now: () => Date;
  /** For activities that read other matters (visibility). */
  client?: Client;
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
    /** serviceTask actions; none of the shipped procedures uses one yet, so each is a recorded no-op. */
    async runServiceAction(input: { matterId: string; action: string }): Promise<{ action: string; done: true }> {
      return { action: input.action, done: true };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
