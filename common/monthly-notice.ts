import { z } from 'zod';
import type { MatterView } from './matter';
import { publicOpinion, type OpinionState } from './opinion';
import { redactText } from './redact';

/**
 * 三务公开: each village's monthly notice, published on the 1st (Asia/Shanghai) for the month
 * before. Pure: composing a notice from matter views and opinions; months in China time.
 */

export const MONTHLY_NOTICES_WORKFLOW = 'monthlyNotices';
export const MONTHLY_NOTICE_WORKFLOW = 'monthlyNotice';
export const MONTHLY_NOTICE_SCHEDULE_ID = 'monthly-notices';
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

export const MonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM')
  .refine((m) => Number(m.slice(0, 4)) >= 2000 && Number(m.slice(0, 4)) <= 2100, 'month out of range');
export type Month = z.infer<typeof MonthSchema>;

/** One workflow per village and month: its id is what makes publishing idempotent. */
export function monthlyNoticeWorkflowId(village: string, month: string): string {
  return `monthly-notice-${village}-${month}`;
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The month (YYYY-MM, China time) an instant falls in. China keeps no daylight saving time. */
export function monthOf(at: number): string {
  return new Date(at + CHINA_OFFSET_MS).toISOString().slice(0, 7);
}

export function addMonths(month: string, n: number): string {
  const year = Number(month.slice(0, 4));
  const index = year * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month a notice published at `at` covers: the one before. */
export function previousMonth(at: number): string {
  return addMonths(monthOf(at), -1);
}

/** [from, to) of a month in China time, epoch ms. */
export function monthRange(month: string): { from: number; to: number } {
  return {
    from: Date.parse(`${month}-01T00:00:00+08:00`),
    to: Date.parse(`${addMonths(month, 1)}-01T00:00:00+08:00`),
  };
}

/** An individual payee's name on the public board (common/redact.ts); organisations are public. */
export function maskPayee(name: string, kind: string | undefined): string {
  return kind === 'individual' ? redactText(name, [name]) : name;
}

/**
 * Names of individuals a matter pays (the `payee` of an `individual` payee kind, at any step): masked
 * wherever they appear on the notice, with the phone and ID-number patterns of common/redact.ts.
 */
export function individualNames(view: MatterView): string[] {
  const names = new Set<string>();
  for (const r of view.record) {
    const payee = r.data?.payee;
    if (r.data?.payeeKind === 'individual' && typeof payee === 'string' && payee.trim() !== '') names.add(payee.trim());
  }
  return [...names];
}

export interface NoticePayment {
  matterId: string;
  title: string;
  amount: number;
  purpose: string;
  /** masked when the payee is an individual */
  payee: string;
  payeeKind: string;
  paidOn: string;
}

export interface NoticeMatter {
  matterId: string;
  procedure: { id: string; name: { zh: string; en: string } };
  title: string;
  startedAt: string;
  closedAt?: string;
  outcome?: string;
  amount?: number;
}

export interface NoticeOpinion {
  opinionId: string;
  subject: string;
  text: string;
  matterId?: string;
  status: string;
  submittedAt: string;
  answeredAt?: string;
  answer?: string;
  answerWithheld?: boolean;
}

export interface MonthlyNotice {
  kind: 'monthly';
  village: string;
  villageName?: { zh: string; en: string };
  town?: string;
  month: string;
  period: { from: string; to: string };
  publishedAt: string;
  /** the workflow that published it (retries and backfills find it and stop) */
  publishedBy: string;
  payments: NoticePayment[];
  totals: { payments: number; amount: number };
  mattersStarted: NoticeMatter[];
  mattersFinished: NoticeMatter[];
  opinions: NoticeOpinion[];
}

/** The latest data submitted at a step (the record keeps every submission). */
export function submitted(view: MatterView, step: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  for (const r of view.record) if (r.step === step && r.action === 'submit' && r.data) found = r.data;
  return found;
}

export function closedAt(view: MatterView): string | undefined {
  if (view.status !== 'ended') return undefined;
  return [...view.record].reverse().find((r) => r.action === 'end')?.at;
}

function inRange(iso: string | undefined, range: { from: number; to: number }): boolean {
  if (iso === undefined) return false;
  const at = Date.parse(iso);
  return at >= range.from && at < range.to;
}

/** A date (YYYY-MM-DD, a China calendar day) within the month. */
function dayInMonth(day: unknown, month: string): day is string {
  return typeof day === 'string' && day.slice(0, 7) === month;
}

function noticeMatter(view: MatterView): NoticeMatter {
  const closed = closedAt(view);
  return {
    matterId: view.matterId,
    procedure: { id: view.procedure.id, name: view.procedure.name },
    title: redactText(view.title, individualNames(view)),
    startedAt: view.startedAt,
    ...(closed ? { closedAt: closed } : {}),
    ...(view.outcome !== undefined ? { outcome: view.outcome } : {}),
    ...(view.amount !== undefined ? { amount: view.amount } : {}),
  };
}

/** Fund approvals that reached payment, paid (by their 支付日期) within the month. */
export function paymentsOf(views: MatterView[], month: string): NoticePayment[] {
  const payments: NoticePayment[] = [];
  for (const view of views) {
    if (view.procedure.id !== 'fund-approval' || view.status !== 'ended' || view.outcome !== 'completed') continue;
    const payment = submitted(view, 'payment');
    const application = submitted(view, 'apply');
    if (!payment || !application || !dayInMonth(payment.paidOn, month)) continue;
    const amount = typeof application.amount === 'number' ? application.amount : (view.amount ?? 0);
    const kind = typeof application.payeeKind === 'string' ? application.payeeKind : 'individual';
    payments.push({
      matterId: view.matterId,
      title: redactText(view.title, individualNames(view)),
      amount,
      purpose: redactText(typeof application.purpose === 'string' ? application.purpose : '', individualNames(view)),
      payee: maskPayee(typeof application.payee === 'string' ? application.payee : '', kind),
      payeeKind: kind,
      paidOn: payment.paidOn,
    });
  }
  return payments.sort((a, b) => a.paidOn.localeCompare(b.paidOn) || a.matterId.localeCompare(b.matterId));
}

/** Sum in fen, so that 0.1 + 0.2 is 0.3 on the notice board. */
export function sumYuan(amounts: number[]): number {
  return amounts.reduce((fen, a) => fen + Math.round(a * 100), 0) / 100;
}

export function composeMonthlyNotice(input: {
  village: string;
  villageName?: { zh: string; en: string };
  town?: string;
  month: string;
  publishedAt: string;
  publishedBy: string;
  matters: MatterView[];
  opinions: OpinionState[];
}): MonthlyNotice {
  const range = monthRange(input.month);
  const matters = input.matters.filter((m) => m.village === input.village);
  const byStart = (a: NoticeMatter, b: NoticeMatter) =>
    a.startedAt.localeCompare(b.startedAt) || a.matterId.localeCompare(b.matterId);
  const payments = paymentsOf(matters, input.month);
  const opinions = input.opinions
    .filter((o) => o.village === input.village)
    .filter((o) => inRange(o.submittedAt, range) || inRange(o.answered?.at, range))
    .map(publicOpinion)
    .map((o): NoticeOpinion => ({
      opinionId: o.opinionId,
      // a resident may write a phone or ID number into the text: never on the board
      subject: redactText(o.subject),
      text: redactText(o.text),
      ...(o.matterId ? { matterId: o.matterId } : {}),
      status: o.status,
      submittedAt: o.submittedAt,
      ...(o.answeredAt ? { answeredAt: o.answeredAt } : {}),
      ...(o.answer ? { answer: redactText(o.answer) } : {}),
      ...(o.answerWithheld ? { answerWithheld: true } : {}),
    }))
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.opinionId.localeCompare(b.opinionId));
  return {
    kind: 'monthly',
    village: input.village,
    ...(input.villageName ? { villageName: input.villageName } : {}),
    ...(input.town ? { town: input.town } : {}),
    month: input.month,
    period: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
    publishedAt: input.publishedAt,
    publishedBy: input.publishedBy,
    payments,
    totals: { payments: payments.length, amount: sumYuan(payments.map((p) => p.amount)) },
    mattersStarted: matters
      .filter((m) => inRange(m.startedAt, range))
      .map(noticeMatter)
      .sort(byStart),
    mattersFinished: matters
      .filter((m) => inRange(closedAt(m), range))
      .map(noticeMatter)
      .sort(byStart),
    opinions,
  };
}

/** A village as the directory lists it. */
export interface VillageInfo {
  id: string;
  town: string;
  name: { zh: string; en: string };
}

export interface PublishNoticeInput {
  village: string;
  villageName?: { zh: string; en: string };
  town?: string;
  month: string;
  /** the publishing workflow's id */
  publishedBy: string;
}

export interface PublishNoticeResult {
  /** false: a notice for that village and month already stood, and it is returned unchanged */
  created: boolean;
  notice: MonthlyNotice;
}

/** Where monthly notices are kept (a file store under DATA_DIR; see stores/notices.ts). */
export interface NoticeStorePort {
  get(village: string, month: string): Promise<MonthlyNotice | undefined>;
  /** the months a village has notices for, newest first */
  months(village: string): Promise<string[]>;
  /** Writes only if no notice exists for that village and month; returns the one that stands. */
  putIfAbsent(notice: MonthlyNotice): Promise<{ created: boolean; notice: MonthlyNotice }>;
}
