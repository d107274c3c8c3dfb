import { z } from 'zod';
import type { ReportMatter } from './matter-facts';
import { publicOpinion, type OpinionState } from './opinion';
import { redactText } from './redact';

/**
 * 三务公开: each village's monthly notice, published on the 1st (Asia/Shanghai) for the month
 * before. Pure: composing a notice from matters' facts and opinions; months in China time.
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

function inRange(iso: string | undefined, range: { from: number; to: number }): boolean {
  if (iso === undefined) return false;
  const at = Date.parse(iso);
  return at >= range.from && at < range.to;
}

/** A date (YYYY-MM-DD, a China calendar day) within the month. */
function dayInMonth(day: unknown, month: string): day is string {
  return typeof day === 'string' && day.slice(0, 7) === month;
}

function noticeMatter(m: ReportMatter): NoticeMatter {
  const { endedAt, individualNames } = m.facts;
  return {
    matterId: m.matterId,
    procedure: { id: m.procedure.id, name: m.procedure.name },
    title: redactText(m.title, individualNames),
    startedAt: m.startedAt,
    ...(endedAt ? { closedAt: endedAt } : {}),
    ...(m.outcome !== undefined ? { outcome: m.outcome } : {}),
    ...(m.amount !== undefined ? { amount: m.amount } : {}),
  };
}

/** Fund approvals that reached payment, paid (by their 支付日期) within the month. */
export function paymentsOf(matters: ReportMatter[], month: string): NoticePayment[] {
  const payments: NoticePayment[] = [];
  for (const m of matters) {
    const payment = m.facts.payment;
    if (!payment || !dayInMonth(payment.paidOn, month)) continue;
    const names = m.facts.individualNames;
    payments.push({
      matterId: m.matterId,
      title: redactText(m.title, names),
      amount: payment.amount,
      purpose: redactText(payment.purpose, names),
      payee: maskPayee(payment.payee, payment.payeeKind),
      payeeKind: payment.payeeKind,
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
  matters: ReportMatter[];
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
      .filter((m) => inRange(m.facts.endedAt, range))
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
