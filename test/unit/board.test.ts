import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { holdersOf, median, overdueItems, yearRange, yearlyReport, yearlyReportCsv } from '../../common/accountability';
import type { RecordEntry } from '../../common/engine';
import { REDACTED } from '../../common/redact';
import type { MatterView } from '../../common/matter';
import { reportMatterOf, stepDurations } from '../../common/matter-facts';
import {
  addMonths,
  composeMonthlyNotice,
  maskPayee,
  monthOf,
  monthRange,
  previousMonth,
  sumYuan,
  type MonthlyNotice,
} from '../../common/monthly-notice';
import type { OpinionState } from '../../common/opinion';
import { createNoticeStore } from '../../stores/notices';
import { escapeHtml } from '../../api/html';
import { noticeHtml } from '../../api/routes/notices/handlers';
import { newTrackingCode, normaliseTrackingCode, opinionIdOf } from '../../api/routes/opinions/service';

let seq = 0;
type ViewEntry = MatterView['record'][number];
const entry = (at: string, step: string | null, action: string, extra: Partial<RecordEntry> = {}): ViewEntry => ({
  prev: '0'.repeat(64),
  hash: '0'.repeat(64),
  seq: ++seq,
  at,
  userId: 'u',
  role: 'system',
  step,
  action,
  ...extra,
});

function matter(over: Partial<MatterView> & Pick<MatterView, 'matterId' | 'record'>): MatterView {
  return {
    procedure: { id: 'fund-approval', version: 'v', name: { zh: '资金支出审批', en: 'Fund approval' } },
    village: 'xinglong',
    title: 't',
    initiator: 'he-accountant',
    startedAt: over.record[0]?.at ?? '2026-10-01T00:00:00.000Z',
    status: 'ended',
    outcome: 'completed',
    links: [],
    warnings: [],
    activeSteps: [],
    completedSteps: [],
    takenFlows: [],
    meetings: [],
    objections: [],
    notices: [],
    ...over,
  };
}

function payment(id: string, paidOn: string, amount: number, payee: string, payeeKind: string): MatterView {
  return matter({
    matterId: id,
    amount,
    record: [
      entry('2026-10-02T01:00:00.000Z', null, 'start'),
      entry('2026-10-02T02:00:00.000Z', 'apply', 'submit', { data: { amount, payee, payeeKind, purpose: '用途' } }),
      entry('2026-10-03T02:00:00.000Z', 'payment', 'submit', { data: { paidOn, transferReference: 'x' } }),
      entry('2026-10-03T02:00:00.000Z', null, 'end', { decision: 'completed' }),
    ],
  });
}

describe('months in China time', () => {
  test('given instants around midnight in Beijing, then the month is the Beijing month', () => {
    expect(monthOf(Date.parse('2026-10-31T15:59:59.999Z'))).toBe('2026-10');
    expect(monthOf(Date.parse('2026-10-31T16:00:00.000Z'))).toBe('2026-11');
    expect(previousMonth(Date.parse('2027-01-01T01:00:00+08:00'))).toBe('2026-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthRange('2026-02')).toEqual({
      from: Date.parse('2026-01-31T16:00:00Z'),
      to: Date.parse('2026-02-28T16:00:00Z'),
    });
    expect(yearRange(2026).from).toBe(Date.parse('2025-12-31T16:00:00Z'));
  });
});

describe('the monthly notice', () => {
  test('given payees, then individuals are masked and organisations are not', () => {
    expect(maskPayee('张三丰', 'individual')).toBe(REDACTED);
    expect(maskPayee('李', 'individual')).toBe(REDACTED);
    expect(maskPayee('罗江建材有限公司', 'organisation')).toBe('罗江建材有限公司');
    expect(sumYuan([0.1, 0.2])).toBe(0.3);
  });

  test('given payments of several months and villages, then the notice lists only this village and month by payment date', () => {
    const views = [
      payment('m-1', '2026-10-31', 100.1, '张三', 'individual'),
      payment('m-2', '2026-10-01', 0.2, '某公司', 'organisation'),
      payment('m-3', '2026-11-01', 999, '李四', 'individual'),
      { ...payment('m-4', '2026-10-15', 50, '王五', 'individual'), village: 'dongfeng' },
      { ...payment('m-5', '2026-10-15', 70, '赵六', 'individual'), outcome: 'rejected' },
    ];
    const notice = composeMonthlyNotice({
      village: 'xinglong',
      month: '2026-10',
      publishedAt: '2026-11-01T00:00:00.000Z',
      publishedBy: 'w',
      matters: views.map(reportMatterOf),
      opinions: [],
    });
    expect(notice.payments.map((p) => [p.matterId, p.payee, p.amount])).toEqual([
      ['m-2', '某公司', 0.2],
      ['m-1', REDACTED, 100.1],
    ]);
    expect(notice.totals).toEqual({ payments: 2, amount: 100.3 });
    expect(notice.mattersStarted.map((m) => m.matterId)).toEqual(['m-1', 'm-2', 'm-3', 'm-5']);
    expect(JSON.stringify(notice)).not.toContain('张三');
  });

  test('given the printable page, then text is escaped', () => {
    const notice = composeMonthlyNotice({
      village: 'xinglong',
      month: '2026-10',
      publishedAt: '2026-11-01T00:00:00.000Z',
      publishedBy: 'w',
      matters: [reportMatterOf(payment('m-1', '2026-10-31', 1, '<script>', 'organisation'))],
      opinions: [],
    });
    const html = noticeHtml(notice);
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });
});

describe('the notice store', () => {
  test('given two publishers of the same month at once, then exactly one notice stands and both get it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xwql-store-'));
    try {
      const store = createNoticeStore(dir);
      const base = { kind: 'monthly', village: 'xinglong', month: '2026-10' } as MonthlyNotice;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.putIfAbsent({ ...base, publishedBy: `w-${i}` })),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.find((r) => r.created)?.notice.publishedBy;
      expect(new Set(results.map((r) => r.notice.publishedBy))).toEqual(new Set([winner]));
      expect(readdirSync(path.join(dir, 'xinglong'))).toEqual(['2026-10.json']);
      expect(await store.months('xinglong')).toEqual(['2026-10']);
      expect(await store.get('xinglong', '2026-09')).toBeUndefined();
      expect(() => store.get('../etc', '2026-10')).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tracking codes', () => {
  test('given a new code, then it has 80 random bits, reads back however it is typed, and the id does not reveal it', () => {
    const codes = new Set(Array.from({ length: 200 }, newTrackingCode));
    expect(codes.size).toBe(200);
    const code = [...codes][0] ?? '';
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(opinionIdOf(code.toLowerCase().replace(/-/g, ' '))).toBe(opinionIdOf(code));
    expect(normaliseTrackingCode('0000-0000-0000-000O')).toBe('0000000000000000');
    expect(normaliseTrackingCode('short')).toBeUndefined();
    expect(opinionIdOf(code)).toMatch(/^opinion-[0-9a-f]{24}$/);
  });
});

describe('accountability', () => {
  const directory = {
    villages: [{ id: 'xinglong', town: 'jinshan' }],
    users: [
      { id: 'li', name: '李书记', roles: [{ role: 'secretary' as const, village: 'xinglong' }] },
      { id: 'wang', name: '王主任', roles: [{ role: 'director' as const, village: 'xinglong' }] },
      { id: 'zhang', name: '张书记', roles: [{ role: 'secretary' as const, village: 'dongfeng' }] },
      { id: 'sun', name: '孙镇', roles: [{ role: 'town-official' as const, town: 'jinshan' }] },
      { id: 'qian', name: '钱主任', roles: [{ role: 'supervisor-chair' as const, village: 'xinglong' }] },
    ],
  };

  test('given a role, then its holders in the village are named (committee includes secretary and director)', () => {
    expect(holdersOf(directory, 'xinglong', 'secretary').map((h) => h.id)).toEqual(['li']);
    expect(holdersOf(directory, 'xinglong', 'committee').map((h) => h.id)).toEqual(['wang', 'li']);
    expect(holdersOf(directory, 'xinglong', 'town-official').map((h) => h.id)).toEqual(['sun']);
    expect(holdersOf(directory, 'xinglong', 'supervisor').map((h) => h.id)).toEqual(['qian']);
  });

  test('given steps past their deadline (still dated, or already fired), then each is listed with who holds it', () => {
    const view = matter({
      matterId: 'm-1',
      status: 'running',
      record: [
        entry('2026-03-01T00:00:00.000Z', null, 'start'),
        entry('2026-03-10T00:00:00.000Z', 'propose', 'deadline-passed'),
      ],
      activeSteps: [
        {
          id: 'propose',
          name: { zh: '提议', en: 'Propose' },
          kind: 'submit',
          roles: ['secretary'],
          phase: 'open',
          since: '2026-03-01T00:00:00.000Z',
          actions: ['submit'],
          recused: [],
          // its deadline timer fired: the view says when (from the record's deadline-passed entry)
          overdueSince: '2026-03-10T00:00:00.000Z',
        },
        {
          id: 'other',
          name: { zh: '其他', en: 'Other' },
          kind: 'submit',
          roles: ['committee'],
          phase: 'open',
          since: '2026-03-01T00:00:00.000Z',
          deadline: '2026-03-05T00:00:00.000Z',
          actions: ['submit'],
          recused: ['wang'],
        },
        {
          id: 'fresh',
          name: { zh: '未超期', en: 'Fresh' },
          kind: 'submit',
          roles: ['committee'],
          phase: 'open',
          since: '2026-03-01T00:00:00.000Z',
          deadline: '2026-04-05T00:00:00.000Z',
          actions: ['submit'],
          recused: [],
        },
      ],
    });
    const items = overdueItems({
      village: 'xinglong',
      matters: [view],
      opinions: [],
      directory,
      now: Date.parse('2026-03-20T00:00:00Z'),
    });
    expect(items.map((i) => [i.step, i.overdueSince, i.roles.map((r) => r.people.map((p) => p.name))])).toEqual([
      // 王主任 is recused from `other`: he is not the one to answer for it
      ['other', '2026-03-05T00:00:00.000Z', [['李书记']]],
      ['propose', '2026-03-10T00:00:00.000Z', [['李书记']]],
    ]);
  });

  test('given a record, then each step lasts from the previous completion to its own; inquorate meetings do not complete', () => {
    const view = matter({
      matterId: 'm-1',
      procedure: { id: 'major-decision', version: 'v', name: { zh: '', en: '' } },
      record: [
        entry('2026-03-01T00:00:00.000Z', null, 'start'),
        entry('2026-03-01T02:00:00.000Z', 'propose', 'submit'),
        entry('2026-03-02T00:00:00.000Z', 'deliberate', 'record', { decision: 'inquorate' }),
        entry('2026-03-02T01:00:00.000Z', 'deliberate', 'confirm'),
        entry('2026-03-03T00:00:00.000Z', 'deliberate', 'record', { decision: 'passed' }),
        entry('2026-03-03T02:00:00.000Z', 'deliberate', 'confirm'),
        entry('2026-03-03T03:00:00.000Z', null, 'raise-objection'),
        entry('2026-03-08T02:00:00.000Z', 'disclose', 'disclosure-ended'),
      ],
    });
    expect(stepDurations(view).map((d) => [d.step, d.ms / 3_600_000])).toEqual([
      ['propose', 2],
      ['deliberate', 48],
      ['disclose', 120],
    ]);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  test('given matters and opinions, then the yearly report counts them in their year and the CSV is spreadsheet-safe', () => {
    const opinion = (id: string, submittedAt: string, answeredAt?: string): OpinionState => ({
      opinionId: id,
      village: 'xinglong',
      subject: '=HYPERLINK("x")',
      text: 't',
      publishAnswer: true,
      status: answeredAt ? 'answered' : 'submitted',
      submittedAt,
      acknowledgeDueAt: '2026-05-04T16:00:00.000Z',
      answerDueAt: '2026-05-20T16:00:00.000Z',
      escalations: [],
      ...(answeredAt ? { answered: { userId: 'qian', role: 'supervisor-chair', at: answeredAt, answer: 'a' } } : {}),
    });
    const report = yearlyReport({
      village: 'xinglong',
      year: 2026,
      generatedAt: 'now',
      matters: [
        payment('m-1', '2026-10-02', 10, 'x', 'organisation'),
        { ...payment('m-2', '2026-10-02', 10, 'x', 'organisation'), outcome: 'rejected' },
        { ...payment('m-3', '2025-12-31', 10, 'x', 'organisation'), startedAt: '2025-12-31T15:59:00.000Z' },
      ].map(reportMatterOf),
      opinions: [
        opinion('o-1', '2026-05-01T00:00:00.000Z', '2026-05-02T00:00:00.000Z'),
        opinion('o-2', '2026-05-01T00:00:00.000Z', '2026-06-02T00:00:00.000Z'),
        opinion('o-3', '2026-05-01T00:00:00.000Z'),
        opinion('o-4', '2025-05-01T00:00:00.000Z'),
      ],
    });
    expect(report.matters.byProcedure).toEqual([
      expect.objectContaining({ procedure: 'fund-approval', started: 2, byOutcome: { completed: 1, rejected: 1 } }),
    ]);
    expect(report.opinions).toEqual({ submitted: 3, answered: 2, answeredOnTime: 1, escalated: 0, onTimeRate: 0.333 });
    const csv = yearlyReportCsv(report);
    expect(csv.startsWith('\uFEFFsection,procedure,step,item,metric,value\r\n')).toBe(true);
    expect(csv).toContain('matters,fund-approval,,,rejected,1\r\n');
    expect(csv).toContain('opinions,,,,on-time-rate,0.333\r\n');
  });
});
