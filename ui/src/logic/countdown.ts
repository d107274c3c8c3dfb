import { t, type Lang } from '../i18n';

export type Countdown = { kind: 'none' } | { kind: 'left'; ms: number } | { kind: 'overdue'; ms: number };

export function countdown(deadline: string | undefined, now: number): Countdown {
  if (!deadline) return { kind: 'none' };
  const due = Date.parse(deadline);
  if (Number.isNaN(due)) return { kind: 'none' };
  return due > now ? { kind: 'left', ms: due - now } : { kind: 'overdue', ms: now - due };
}

const UNITS = [
  { ms: 86_400_000, zh: '天', en: 'd' },
  { ms: 3_600_000, zh: '小时', en: 'h' },
  { ms: 60_000, zh: '分钟', en: 'min' },
  { ms: 1000, zh: '秒', en: 's' },
] as const;

/** The two largest units, rounded down: "3天5小时", "2 d 4 h"; under a minute, seconds. */
export function durationText(lang: Lang, ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, ms);
  for (const unit of UNITS) {
    const n = Math.floor(rest / unit.ms);
    if (n > 0 || (parts.length === 0 && unit.ms === 1000)) {
      parts.push(lang === 'en' ? `${n} ${unit.en}` : `${n}${unit.zh}`);
      rest -= n * unit.ms;
    } else if (parts.length > 0) break;
    if (parts.length === 2) break;
  }
  return parts.join(lang === 'en' ? ' ' : '');
}

/**
 * The badge on an active step: suspended beats a notice held by residents' opinions, which beats
 * overdue, which beats the time left.
 */
export function stepBadge(
  lang: Lang,
  step: { deadline?: string; heldByOpinions?: number },
  status: string,
  now: number,
): { text: string; tone: 'suspended' | 'held' | 'overdue' | 'due' } | undefined {
  if (status === 'suspended') return { text: t(lang, 'suspendedBadge'), tone: 'suspended' };
  if ((step.heldByOpinions ?? 0) > 0)
    return { text: t(lang, 'heldByOpinions', { n: step.heldByOpinions ?? 0 }), tone: 'held' };
  const c = countdown(step.deadline, now);
  if (c.kind === 'overdue') return { text: t(lang, 'overdue'), tone: 'overdue' };
  if (c.kind === 'left') return { text: t(lang, 'dueIn', { time: durationText(lang, c.ms) }), tone: 'due' };
  return undefined;
}
