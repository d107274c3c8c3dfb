import type { z } from 'zod';
import {
  overdueItems,
  yearRange,
  yearlyReport,
  yearlyReportCsv,
  type YearlyReport,
} from '../../../common/accountability';
import { chinaDate } from '../../../common/china-date';
import { ErrorCode } from '../../../common/errors';
import type { DirectoryPort } from '../../../common/directory';
import { ApiError } from '../../errors';
import { escapeHtml, printablePage, table } from '../../html';
import type { ReadModel } from '../../../stores/read-model';
import type { RouteInput } from '../../route';
import type { OverdueQuerySchema, YearlyQuerySchema } from './schemas';

export interface ReportDeps {
  readModel: ReadModel;
  directory: DirectoryPort;
  now: () => Date;
}

type Input<Q> = RouteInput<unknown, Q, unknown>;

function villageName(deps: ReportDeps, village: string): string {
  const found = deps.directory.current().villages.find((v) => v.id === village);
  if (!found)
    throw new ApiError(404, ErrorCode.NotFound, `No village ${village} / 没有该村`, [
      { field: 'query.village', message: 'unknown village' },
    ]);
  return found.name.zh;
}

export async function overdue(deps: ReportDeps, { query, res }: Input<z.infer<typeof OverdueQuerySchema>>) {
  villageName(deps, query.village);
  const [{ summaries, unread }, opinions] = await Promise.all([
    deps.readModel.summaries({ villages: [query.village], status: 'open' }),
    deps.readModel.runningOpinions(query.village),
  ]);
  const unreadAll = [...unread, ...opinions.unread];
  const now = deps.now();
  res.json({
    village: query.village,
    generatedAt: now.toISOString(),
    items: overdueItems({
      village: query.village,
      matters: summaries,
      opinions: opinions.opinions,
      directory: deps.directory.current(),
      now: now.getTime(),
    }),
    ...(unreadAll.length > 0 ? { unread: unreadAll } : {}),
  });
}

async function report(deps: ReportDeps, query: z.infer<typeof YearlyQuerySchema>): Promise<YearlyReport> {
  villageName(deps, query.village);
  const year = query.year ?? Number(chinaDate(deps.now()).slice(0, 4));
  const period = yearRange(year);
  const [matters, opinions] = await Promise.all([
    deps.readModel.reportMatters(query.village, period),
    deps.readModel.opinions(query.village, period),
  ]);
  const unread = [...matters.unread, ...opinions.unread];
  return {
    ...yearlyReport({
      village: query.village,
      year,
      matters: matters.matters,
      opinions: opinions.opinions,
      generatedAt: deps.now().toISOString(),
    }),
    ...(unread.length > 0 ? { unread } : {}),
  };
}

export async function yearly(deps: ReportDeps, { query, res }: Input<z.infer<typeof YearlyQuerySchema>>) {
  res.json(await report(deps, query));
}

export async function yearlyCsv(deps: ReportDeps, { query, res }: Input<z.infer<typeof YearlyQuerySchema>>) {
  const r = await report(deps, query);
  res.type('text/csv; charset=utf-8').attachment(`report-${r.village}-${r.year}.csv`).send(yearlyReportCsv(r));
}

export function reportHtml(r: YearlyReport, name: string): string {
  const title = `${name} ${r.year} 年度报告 / Yearly report ${r.year}`;
  const outcomes = [...new Set(r.matters.byProcedure.flatMap((p) => Object.keys(p.byOutcome)))].sort();
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">村务监督委员会年度报告资料 · For the supervisory committee's annual report · ${escapeHtml(r.generatedAt)}</p>`,
    `<h2>事项 Matters（${r.matters.total}）</h2>`,
    table(r.matters.byProcedure, [
      { head: '流程 Procedure', cell: (p) => p.name?.zh ?? p.procedure },
      { head: '启动 Started', cell: (p) => p.started, numeric: true },
      ...outcomes.map((o) => ({
        head: o,
        cell: (p: (typeof r.matters.byProcedure)[number]) => p.byOutcome[o] ?? 0,
        numeric: true,
      })),
    ]),
    `<h2>监督异议 Objections（${r.objections.total}）</h2>`,
    table(r.objections.items, [
      { head: '时间 At', cell: (o) => o.at.slice(0, 10) },
      { head: '事项 Matter', cell: (o) => o.title },
      { head: '环节 Step', cell: (o) => o.step ?? '—' },
      { head: '状态 Status', cell: (o) => o.resolution ?? o.status },
    ]),
    `<h2>超期环节 Overdue steps（${r.overdue.total}）</h2>`,
    table(r.overdue.items, [
      { head: '时间 At', cell: (o) => o.at.slice(0, 10) },
      { head: '事项 Matter', cell: (o) => o.title },
      { head: '流程 Procedure', cell: (o) => o.procedure },
      { head: '环节 Step', cell: (o) => o.step },
    ]),
    `<h2>各环节用时中位数 Median time per step</h2>`,
    table(r.stepTimes, [
      { head: '流程 Procedure', cell: (t) => t.procedure },
      { head: '环节 Step', cell: (t) => t.step },
      { head: '次数 Count', cell: (t) => t.count, numeric: true },
      { head: '中位数（小时） Median hours', cell: (t) => t.medianHours, numeric: true },
    ]),
    `<h2>民意直通车 Opinions</h2>`,
    table(
      [r.opinions],
      [
        { head: '收到 Submitted', cell: (o) => o.submitted, numeric: true },
        { head: '已答复 Answered', cell: (o) => o.answered, numeric: true },
        { head: '按时答复 On time', cell: (o) => o.answeredOnTime, numeric: true },
        { head: '转镇办理 Escalated', cell: (o) => o.escalated, numeric: true },
        {
          head: '按时率 On-time rate',
          cell: (o) => (o.onTimeRate === null ? '—' : `${(o.onTimeRate * 100).toFixed(1)}%`),
          numeric: true,
        },
      ],
    ),
    ...(r.unread
      ? [
          `<p class="meta">未能读取、未计入 Not read, not counted（${r.unread.length}）：${escapeHtml(r.unread.join(', '))}</p>`,
        ]
      : []),
  ].join('\n');
  return printablePage(title, body);
}

export async function yearlyPrint(deps: ReportDeps, { query, res }: Input<z.infer<typeof YearlyQuerySchema>>) {
  const r = await report(deps, query);
  res.type('text/html; charset=utf-8').send(reportHtml(r, villageName(deps, r.village)));
}
