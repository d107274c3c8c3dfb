import type { MatterView } from './matter';

export interface NoticeWindow {
  step: string;
  publishedAt: string;
  /** the end of the notice period: when it ended, or when it will while the step is on notice */
  endsAt?: string;
  /** still on the board */
  current: boolean;
}

/**
 * Notices with their windows. A notice records its end once the window has run out; while it is
 * up, the end date comes from the disclosure step's window timer.
 */
export function noticeWindows(view: Pick<MatterView, 'notices' | 'activeSteps'>, now: number): NoticeWindow[] {
  return view.notices.map((n) => {
    const active = view.activeSteps.find((s) => s.id === n.step);
    const endsAt = n.endsAt ?? active?.windowEndsAt;
    const current = n.endsAt === undefined ? active !== undefined : Date.parse(n.endsAt) > now;
    return { step: n.step, publishedAt: n.publishedAt, ...(endsAt !== undefined ? { endsAt } : {}), current };
  });
}
