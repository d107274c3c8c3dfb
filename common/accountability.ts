import { roleSatisfies } from './engine';
import type { Role } from './graph';
import type { MatterView } from './matter';
import type { ReportMatter } from './matter-facts';
import { answeredOnTime, type OpinionState } from './opinion';

/**
 * Accountability (四清四明: 责任清、结果明): who holds each overdue step, and the yearly figures a
 * village's supervisory committee reports on. Pure functions over matter views and opinions.
 */

/** Just what is needed of the directory (common/directory.ts Directory fits). */
export interface PeopleDirectory {
  villages: { id: string; town: string }[];
  users: { id: string; name: string; roles: { role: Role; village?: string; town?: string }[] }[];
}

export interface Holder {
  id: string;
  name: string;
  role: Role;
}

/** The people who may act in `role` in the village: village roles there, the town's officials, district roles. */
export function holdersOf(directory: PeopleDirectory, village: string, role: Role): Holder[] {
  const town = directory.villages.find((v) => v.id === village)?.town;
  const holders: Holder[] = [];
  for (const user of directory.users) {
    for (const grant of user.roles) {
      const inScope =
        grant.village === village ||
        (town !== undefined && grant.town === town) ||
        (grant.village === undefined && grant.town === undefined);
      if (inScope && roleSatisfies(grant.role, role)) holders.push({ id: user.id, name: user.name, role: grant.role });
    }
  }
  return holders.sort((a, b) => a.role.localeCompare(b.role) || a.id.localeCompare(b.id));
}

export interface OverdueItem {
  kind: 'step' | 'opinion' | 'objection';
  village: string;
  /** matter id, or opinion id */
  id: string;
  title: string;
  procedure?: { id: string; name: { zh: string; en: string } };
  step: string;
  stepName: { zh: string; en: string };
  since: string;
  /** when the time limit passed */
  overdueSince: string;
  /** the roles that may act and who holds them */
  roles: { role: Role; people: Holder[] }[];
}

/** When the time limit of an active step passed, if it has (once the deadline timer fired, the view says when). */
function overdueSince(step: MatterView['activeSteps'][number], now: number): string | undefined {
  if (step.deadline !== undefined && Date.parse(step.deadline) <= now) return step.deadline;
  return step.overdueSince;
}

const OBJECTION_ANSWER = { zh: '答复异议', en: 'Answer the objection' } as const;

const OPINION_STEPS = {
  acknowledge: { zh: '受理意见', en: 'Acknowledge the opinion' },
  answer: { zh: '答复意见', en: 'Answer the opinion' },
} as const;

export function overdueItems(input: {
  village: string;
  /** running matters: their views, or the summaries of the read model (common/matter-summary.ts) */
  matters: Pick<MatterView, 'matterId' | 'village' | 'status' | 'title' | 'procedure' | 'activeSteps' | 'objections'>[];
  opinions: OpinionState[];
  directory: PeopleDirectory;
  now: number;
}): OverdueItem[] {
  const { village, directory, now } = input;
  const rolesOf = (roles: Role[], recused: string[] = []) =>
    roles.map((role) => ({
      role,
      people: holdersOf(directory, village, role).filter((p) => !recused.includes(p.id) && !recused.includes(p.name)),
    }));
  const items: OverdueItem[] = [];
  for (const view of input.matters) {
    if (view.village !== village || view.status === 'ended') continue;
    for (const step of view.activeSteps) {
      const since = overdueSince(step, now);
      if (since === undefined) continue;
      items.push({
        kind: 'step',
        village,
        id: view.matterId,
        title: view.title,
        procedure: { id: view.procedure.id, name: view.procedure.name },
        step: step.id,
        stepName: step.name,
        since: step.since,
        overdueSince: since,
        // the recused (initiator, payee, …) may not act, so they do not answer for the delay
        roles: rolesOf(step.roles, step.recused),
      });
    }
    // 实施条例 Art. 54: an objection left unanswered past its time; the committee still owes the answer, the town may rule
    for (const objection of view.objections ?? []) {
      if (objection.status !== 'open' || objection.overdueSince === undefined) continue;
      items.push({
        kind: 'objection',
        village,
        id: view.matterId,
        title: view.title,
        procedure: { id: view.procedure.id, name: view.procedure.name },
        step: objection.step ?? objection.id,
        stepName: OBJECTION_ANSWER,
        since: objection.at,
        overdueSince: objection.overdueSince,
        roles: rolesOf(['committee', 'town-official']),
      });
    }
  }
  for (const o of input.opinions) {
    if (o.village !== village || o.status === 'answered') continue;
    const pending = o.status === 'submitted' ? 'acknowledge' : 'answer';
    const due = pending === 'acknowledge' ? o.acknowledgeDueAt : o.answerDueAt;
    const passed =
      o.escalations.find((e) => e.deadline === pending)?.at ?? (due && Date.parse(due) <= now ? due : undefined);
    if (passed === undefined) continue;
    items.push({
      kind: 'opinion',
      village,
      id: o.opinionId,
      title: o.subject,
      step: pending,
      stepName: OPINION_STEPS[pending],
      since: o.submittedAt,
      overdueSince: passed,
      roles: rolesOf(o.escalations.length > 0 ? ['supervisor-chair', 'town-official'] : ['supervisor-chair']),
    });
  }
  return items.sort((a, b) => a.overdueSince.localeCompare(b.overdueSince) || a.id.localeCompare(b.id));
}

/** The year's [from, to) in China time. */
export function yearRange(year: number): { from: number; to: number } {
  return {
    from: Date.parse(`${year}-01-01T00:00:00+08:00`),
    to: Date.parse(`${year + 1}-01-01T00:00:00+08:00`),
  };
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export interface YearlyReport {
  village: string;
  year: number;
  generatedAt: string;
  matters: {
    total: number;
    byProcedure: {
      procedure: string;
      name?: { zh: string; en: string };
      started: number;
      byOutcome: Record<string, number>;
    }[];
  };
  objections: {
    total: number;
    items: { matterId: string; title: string; step: string | null; at: string; status: string; resolution?: string }[];
  };
  overdue: {
    total: number;
    items: { matterId: string; title: string; procedure: string; step: string; at: string }[];
  };
  stepTimes: { procedure: string; step: string; count: number; medianHours: number }[];
  opinions: {
    submitted: number;
    answered: number;
    answeredOnTime: number;
    escalated: number;
    onTimeRate: number | null;
  };
  /** matters and opinions that could not be read in time: the figures leave them out, and say so */
  unread?: string[];
}

function within(iso: string | undefined, range: { from: number; to: number }): iso is string {
  if (iso === undefined) return false;
  const at = Date.parse(iso);
  return at >= range.from && at < range.to;
}

/**
 * The yearly report of a village. Matters count in the year they started; objections, overdue
 * steps and step times in the year they happened; opinions in the year they were submitted.
 */
export function yearlyReport(input: {
  village: string;
  year: number;
  matters: ReportMatter[];
  opinions: OpinionState[];
  generatedAt: string;
}): YearlyReport {
  const range = yearRange(input.year);
  const matters = [
    ...new Map(input.matters.filter((m) => m.village === input.village).map((m) => [m.matterId, m])).values(),
  ];
  const startedIn = matters.filter((m) => within(m.startedAt, range));

  const byProcedure = new Map<string, YearlyReport['matters']['byProcedure'][number]>();
  for (const m of startedIn) {
    const entry = byProcedure.get(m.procedure.id) ?? {
      procedure: m.procedure.id,
      name: m.procedure.name,
      started: 0,
      byOutcome: {},
    };
    entry.started += 1;
    const outcome = m.status === 'ended' ? (m.outcome ?? 'ended') : m.status;
    entry.byOutcome[outcome] = (entry.byOutcome[outcome] ?? 0) + 1;
    byProcedure.set(m.procedure.id, entry);
  }

  const objections = matters
    .flatMap((m) =>
      m.objections
        .filter((o) => within(o.at, range))
        .map((o) => ({
          matterId: m.matterId,
          title: m.title,
          step: o.step,
          at: o.at,
          status: o.status,
          ...(o.resolution ? { resolution: o.resolution } : {}),
        })),
    )
    .sort((a, b) => a.at.localeCompare(b.at));

  const overdue = matters
    .flatMap((m) =>
      m.facts.deadlinesPassed
        .filter((r) => within(r.at, range))
        .map((r) => ({ matterId: m.matterId, title: m.title, procedure: m.procedure.id, step: r.step, at: r.at })),
    )
    .sort((a, b) => a.at.localeCompare(b.at));

  const times = new Map<string, { procedure: string; step: string; ms: number[] }>();
  for (const m of matters) {
    // Each duration counts in the year its step completed.
    for (const c of m.facts.stepTimes.filter((d) => within(d.at, range))) {
      const key = `${m.procedure.id}\u0000${c.step}`;
      const entry = times.get(key) ?? { procedure: m.procedure.id, step: c.step, ms: [] };
      entry.ms.push(c.ms);
      times.set(key, entry);
    }
  }

  const opinions = input.opinions.filter((o) => o.village === input.village && within(o.submittedAt, range));
  const answered = opinions.filter((o) => o.status === 'answered');
  const onTime = answered.filter(answeredOnTime).length;

  return {
    village: input.village,
    year: input.year,
    generatedAt: input.generatedAt,
    matters: {
      total: startedIn.length,
      byProcedure: [...byProcedure.values()].sort((a, b) => a.procedure.localeCompare(b.procedure)),
    },
    objections: { total: objections.length, items: objections },
    overdue: { total: overdue.length, items: overdue },
    stepTimes: [...times.values()]
      .map((t) => ({
        procedure: t.procedure,
        step: t.step,
        count: t.ms.length,
        medianHours: Math.round(((median(t.ms) ?? 0) / 3_600_000) * 1000) / 1000,
      }))
      .sort((a, b) => a.procedure.localeCompare(b.procedure) || a.step.localeCompare(b.step)),
    opinions: {
      submitted: opinions.length,
      answered: answered.length,
      answeredOnTime: onTime,
      escalated: opinions.filter((o) => o.escalations.length > 0).length,
      onTimeRate: opinions.length === 0 ? null : Math.round((onTime / opinions.length) * 1000) / 1000,
    },
  };
}

type Cell = string | number | null | undefined;

function csvCell(value: Cell): string {
  const text = value === undefined || value === null ? '' : String(value);
  // Formula injection: a cell starting with = + - @ is text, not a formula, in a spreadsheet.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One table for spreadsheets: section, procedure, step, item, metric, value. UTF-8 with BOM for Excel. */
export function yearlyReportCsv(report: YearlyReport): string {
  const rows: Cell[][] = [['section', 'procedure', 'step', 'item', 'metric', 'value']];
  for (const p of report.matters.byProcedure) {
    rows.push(['matters', p.procedure, '', '', 'started', p.started]);
    for (const [outcome, n] of Object.entries(p.byOutcome).sort())
      rows.push(['matters', p.procedure, '', '', outcome, n]);
  }
  rows.push(['objections', '', '', '', 'total', report.objections.total]);
  for (const o of report.objections.items) rows.push(['objections', '', o.step ?? '', o.matterId, o.status, o.at]);
  rows.push(['overdue', '', '', '', 'total', report.overdue.total]);
  for (const o of report.overdue.items)
    rows.push(['overdue', o.procedure, o.step, o.matterId, 'deadline-passed', o.at]);
  for (const t of report.stepTimes) {
    rows.push(['step-times', t.procedure, t.step, '', 'count', t.count]);
    rows.push(['step-times', t.procedure, t.step, '', 'median-hours', t.medianHours]);
  }
  const o = report.opinions;
  rows.push(['opinions', '', '', '', 'submitted', o.submitted]);
  rows.push(['opinions', '', '', '', 'answered', o.answered]);
  rows.push(['opinions', '', '', '', 'answered-on-time', o.answeredOnTime]);
  rows.push(['opinions', '', '', '', 'escalated', o.escalated]);
  rows.push(['opinions', '', '', '', 'on-time-rate', o.onTimeRate ?? '']);
  for (const id of report.unread ?? []) rows.push(['unread', '', '', id, 'not-read', '']);
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
