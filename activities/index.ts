import type { PingResult } from '../common/ping';

export interface ActivityDeps {
  /** Injected so tests and replays control time; the worker passes the real clock. */
  now: () => Date;
}

export function createActivities(deps: ActivityDeps) {
  return {
    async composeGreeting(name: string): Promise<PingResult> {
      return { greeting: `你好，${name}！Hello, ${name}!`, greetedAt: deps.now().toISOString() };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
