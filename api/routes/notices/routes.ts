import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../route';
import { board, monthly, monthlyPrint, type NoticeDeps } from './handlers';
import { BoardSchema, MonthlyNoticeSchema, NoticeParamsSchema, NoticesQuerySchema } from './schemas';

export function noticeRoutes(deps: NoticeDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/notices',
      summary: "A village's notice board: monthly notices and open disclosures (public) / 公开栏",
      tags: ['notices'],
      auth: 'public',
      query: NoticesQuerySchema,
      responses: { 200: { description: 'The board', schema: BoardSchema }, 404: { description: 'Unknown village' } },
      handle: (input) => board(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/notices/:village/:month',
      summary: "A village's monthly notice (三务公开), JSON (public) / 月度公开",
      tags: ['notices'],
      auth: 'public',
      params: NoticeParamsSchema,
      responses: {
        200: { description: 'The notice', schema: MonthlyNoticeSchema },
        404: { description: 'Not published (yet)' },
      },
      handle: (input) => monthly(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/notices/:village/:month/print',
      summary: "A village's monthly notice as a printable page (public) / 月度公开（打印）",
      tags: ['notices'],
      auth: 'public',
      params: NoticeParamsSchema,
      responses: {
        200: { description: 'Printable HTML', schema: z.string(), contentType: 'text/html' },
        404: { description: 'Not published (yet)' },
      },
      handle: (input) => monthlyPrint(deps, input),
    }),
  ];
}
