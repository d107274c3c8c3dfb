import type { z } from 'zod';
import { ErrorCode } from '../../../common/errors';
import { noticeWindows } from '../../../common/notice-windows';
import type { MonthlyNotice, NoticeStorePort } from '../../../common/monthly-notice';
import type { DirectoryPort } from '../../../common/directory';
import { ApiError } from '../../errors';
import { escapeHtml, printablePage, qrFigure, siteOrigin, table, yuan } from '../../html';
import type { ReadModel } from '../../../stores/read-model';
import type { RouteInput } from '../../route';
import type { NoticeParamsSchema, NoticesQuerySchema } from './schemas';

export interface NoticeDeps {
  readModel: ReadModel;
  directory: DirectoryPort;
  now: () => Date;
  /** where the monthly notices are kept (stores/notices.ts); absent → 503 */
  notices?: NoticeStorePort;
}

type Input<P, Q> = RouteInput<P, Q, unknown>;

function store(deps: NoticeDeps): NoticeStorePort {
  if (!deps.notices)
    throw new ApiError(503, ErrorCode.NotConfigured, 'The notice board is not configured here / 未配置公开栏');
  return deps.notices;
}

function knownVillage(deps: NoticeDeps, village: string, field: string): void {
  if (!deps.directory.current().villages.some((v) => v.id === village))
    throw new ApiError(404, ErrorCode.NotFound, `No village ${village} / 没有该村`, [
      { field, message: 'unknown village' },
    ]);
}

export async function board(deps: NoticeDeps, { query, res }: Input<unknown, z.infer<typeof NoticesQuerySchema>>) {
  knownVillage(deps, query.village, 'query.village');
  const months = await store(deps).months(query.village);
  const now = deps.now().getTime();
  // The summaries of the village's running matters carry their notices: one projection read.
  const { summaries, unread } = await deps.readModel.summaries({ villages: [query.village], status: 'open' });
  const disclosures = summaries
    .flatMap((m) =>
      // while a notice is up its end comes from the step's window (common/notice-windows.ts)
      noticeWindows(m, now).map((n) => ({
        matterId: m.matterId,
        title: m.title,
        procedure: { id: m.procedure.id, name: m.procedure.name },
        step: n.step,
        publishedAt: n.publishedAt,
        ...(n.endsAt ? { endsAt: n.endsAt } : {}),
        open: n.current,
      })),
    )
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  res.json({
    village: query.village,
    monthly: months.map((month) => ({
      month,
      url: `/api/notices/${query.village}/${month}`,
      printUrl: `/api/notices/${query.village}/${month}/print`,
    })),
    disclosures,
    ...(unread.length > 0 ? { unread } : {}),
  });
}

async function noticeOf(deps: NoticeDeps, village: string, month: string): Promise<MonthlyNotice> {
  knownVillage(deps, village, 'params.village');
  const notice = await store(deps).get(village, month);
  if (!notice) throw new ApiError(404, ErrorCode.NotFound, `No notice of ${village} for ${month} / 该月公开尚未发布`);
  return notice;
}

export async function monthly(deps: NoticeDeps, { params, res }: Input<z.infer<typeof NoticeParamsSchema>, unknown>) {
  res.json(await noticeOf(deps, params.village, params.month));
}

const OUTCOMES: Record<string, string> = {
  completed: '办结 completed',
  rejected: '未通过 rejected',
  withdrawn: '撤回 withdrawn',
  stopped: '终止 stopped',
};

/** `boardUrl`: where the QR code printed on the notice leads (the village's board, its matters one tap away). */
export function noticeHtml(notice: MonthlyNotice, boardUrl?: string): string {
  const name = notice.villageName ? `${notice.villageName.zh}` : notice.village;
  const [year, month] = notice.month.split('-');
  const title = `${name} ${year}年${Number(month)}月 三务公开 / Monthly disclosure ${notice.month}`;
  const body = [
    boardUrl ? qrFigure(boardUrl, '扫码查看本村公开栏和每个事项 Scan for the board and every matter') : '',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">发布时间 Published ${escapeHtml(notice.publishedAt)} · 个人收款人姓名已隐去 Individual payees are masked</p>`,
    `<h2>资金支出 Payments（${notice.totals.payments} 笔，合计 ${escapeHtml(yuan(notice.totals.amount))} 元）</h2>`,
    table(notice.payments, [
      { head: '支付日期 Paid on', cell: (p) => p.paidOn },
      { head: '用途 Purpose', cell: (p) => p.purpose },
      { head: '收款人 Payee', cell: (p) => p.payee },
      { head: '金额（元） Amount', cell: (p) => yuan(p.amount), numeric: true },
    ]),
    `<h2>本月启动事项 Matters started</h2>`,
    table(notice.mattersStarted, [
      { head: '事项 Matter', cell: (m) => m.title },
      { head: '流程 Procedure', cell: (m) => m.procedure.name.zh },
      { head: '启动 Started', cell: (m) => m.startedAt.slice(0, 10) },
    ]),
    `<h2>本月办结事项 Matters finished</h2>`,
    table(notice.mattersFinished, [
      { head: '事项 Matter', cell: (m) => m.title },
      { head: '流程 Procedure', cell: (m) => m.procedure.name.zh },
      { head: '结果 Outcome', cell: (m) => OUTCOMES[m.outcome ?? ''] ?? m.outcome },
      { head: '办结 Closed', cell: (m) => m.closedAt?.slice(0, 10) },
    ]),
    `<h2>民意直通车 Opinions</h2>`,
    table(notice.opinions, [
      { head: '收到 Received', cell: (o) => o.submittedAt.slice(0, 10) },
      { head: '主题 Subject', cell: (o) => o.subject },
      { head: '意见 Opinion', cell: (o) => o.text },
      {
        head: '答复 Answer',
        cell: (o) =>
          o.answer ?? (o.answerWithheld ? '已答复（应本人要求不公开） answered, not published' : '办理中 in progress'),
      },
    ]),
  ].join('\n');
  return printablePage(title, body);
}

export async function monthlyPrint(
  deps: NoticeDeps,
  { params, req, res }: Input<z.infer<typeof NoticeParamsSchema>, unknown>,
) {
  const notice = await noticeOf(deps, params.village, params.month);
  const board = `${siteOrigin(req)}/#/villages/${encodeURIComponent(params.village)}`;
  res.type('text/html; charset=utf-8').send(noticeHtml(notice, board));
}
