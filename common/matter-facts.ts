import type { RecordEntry } from './engine';
import type { MatterView } from './matter';

/**
 * What the yearly report and the monthly notice need of a matter's record, computed from it once:
 * by the workflow into its read-model summary (common/matter-summary.ts), so that a report reads
 * one visibility query instead of every matter's full view; and from a full view for matters that
 * published none (older code). One function for both, so the two cannot disagree.
 */

type Entry = Pick<RecordEntry, 'at' | 'step' | 'action' | 'decision' | 'data'>;

export interface PaymentFacts {
  amount: number;
  purpose: string;
  /** as recorded: masked on the notice when the payee is an individual */
  payee: string;
  payeeKind: string;
  /** the payment date submitted at the `payment` step (YYYY-MM-DD) */
  paidOn: string;
}

export interface MatterFacts {
  /** when the matter ended (its `end` entry) */
  endedAt?: string;
  /** the time limits that passed, by step */
  deadlinesPassed: { step: string; at: string }[];
  /** how long each completed step took, counted in the year it completed */
  stepTimes: { step: string; ms: number; at: string }[];
  /** individuals the matter pays: masked wherever they appear on a public notice */
  individualNames: string[];
  /** a completed fund approval: what it paid, to whom, on which day */
  payment?: PaymentFacts;
}

/** A matter as the reports read it: the summary's fields and its facts. */
export type ReportMatter = Pick<
  MatterView,
  'matterId' | 'procedure' | 'village' | 'title' | 'startedAt' | 'status' | 'outcome' | 'amount' | 'objections'
> & { facts: MatterFacts };

const COMPLETES = new Set(['submit', 'approve', 'object', 'reject', 'disclosure-ended']);

/**
 * How long each completed step took: from the moment it became active (the completion of the step
 * before it, or the start) to its own completion. The record has no activation entries, so in
 * parallel branches this is measured from the latest completion before the step's first entry.
 */
export function stepDurations(source: { record: readonly Entry[] }): { step: string; ms: number; at: string }[] {
  const out: { step: string; ms: number; at: string }[] = [];
  let mark: string | undefined;
  const firstSeen = new Map<string, string>();
  const lastResult = new Map<string, string | undefined>();
  for (const r of source.record) {
    if (r.action === 'start') {
      mark = r.at;
      continue;
    }
    if (r.step === null) continue;
    if (!firstSeen.has(r.step)) firstSeen.set(r.step, mark ?? r.at);
    if (r.action === 'record') lastResult.set(r.step, r.decision);
    const completes = COMPLETES.has(r.action) || (r.action === 'confirm' && lastResult.get(r.step) !== 'inquorate');
    if (!completes) continue;
    const began = firstSeen.get(r.step) ?? r.at;
    out.push({ step: r.step, ms: Date.parse(r.at) - Date.parse(began), at: r.at });
    firstSeen.delete(r.step);
    mark = r.at;
  }
  return out;
}

/**
 * Names of individuals a matter pays (the `payee` of an `individual` payee kind, at any step): masked
 * wherever they appear on the notice, with the phone and ID-number patterns of common/redact.ts.
 */
export function individualNames(source: { record: readonly Entry[] }): string[] {
  const names = new Set<string>();
  for (const r of source.record) {
    const payee = r.data?.payee;
    if (r.data?.payeeKind === 'individual' && typeof payee === 'string' && payee.trim() !== '') names.add(payee.trim());
  }
  return [...names];
}

/** The latest data submitted at a step (the record keeps every submission). */
export function submitted(source: { record: readonly Entry[] }, step: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  for (const r of source.record) if (r.step === step && r.action === 'submit' && r.data) found = r.data;
  return found;
}

export function closedAt(source: { status: string; record: readonly Entry[] }): string | undefined {
  if (source.status !== 'ended') return undefined;
  return [...source.record].reverse().find((r) => r.action === 'end')?.at;
}

/** A fund approval that reached payment: its application and payment as the notice shows them. */
export function paymentOf(source: {
  procedure: string;
  status: string;
  outcome?: string;
  amount?: number;
  record: readonly Entry[];
}): PaymentFacts | undefined {
  if (source.procedure !== 'fund-approval' || source.status !== 'ended' || source.outcome !== 'completed') return;
  const payment = submitted(source, 'payment');
  const application = submitted(source, 'apply');
  if (!payment || !application || typeof payment.paidOn !== 'string') return undefined;
  return {
    amount: typeof application.amount === 'number' ? application.amount : (source.amount ?? 0),
    purpose: typeof application.purpose === 'string' ? application.purpose : '',
    payee: typeof application.payee === 'string' ? application.payee : '',
    // an unknown kind is treated as a person: masked rather than shown
    payeeKind: typeof application.payeeKind === 'string' ? application.payeeKind : 'individual',
    paidOn: payment.paidOn,
  };
}

export function factsOf(source: {
  procedure: string;
  status: string;
  outcome?: string;
  amount?: number;
  record: readonly Entry[];
}): MatterFacts {
  const endedAt = closedAt(source);
  const payment = paymentOf(source);
  return {
    ...(endedAt !== undefined ? { endedAt } : {}),
    deadlinesPassed: source.record.flatMap((r) =>
      r.action === 'deadline-passed' && r.step !== null ? [{ step: r.step, at: r.at }] : [],
    ),
    stepTimes: stepDurations(source),
    individualNames: individualNames(source),
    ...(payment ? { payment } : {}),
  };
}

/** A full view (a matter that published no facts) as the reports read it. */
export function reportMatterOf(view: MatterView): ReportMatter {
  return {
    matterId: view.matterId,
    procedure: view.procedure,
    village: view.village,
    title: view.title,
    startedAt: view.startedAt,
    status: view.status,
    ...(view.outcome !== undefined ? { outcome: view.outcome } : {}),
    ...(view.amount !== undefined ? { amount: view.amount } : {}),
    objections: view.objections,
    facts: factsOf({ ...view, procedure: view.procedure.id }),
  };
}
