import { z } from 'zod';
import { defineRoute, type RouteDef } from '../../route';
import { overdue, yearly, yearlyCsv, yearlyPrint, type ReportDeps } from './handlers';
import { OverdueQuerySchema, OverdueSchema, YearlyQuerySchema, YearlyReportSchema } from './schemas';

/** Accountability is public (四清四明: 责任清、结果明): residents see who holds an overdue step. */
export function reportRoutes(deps: ReportDeps): RouteDef[] {
  const unknownVillage = { 404: { description: 'Unknown village' } };
  return [
    defineRoute({
      method: 'get',
      path: '/reports/overdue',
      summary: 'Overdue steps and opinions of a village, with the role and the person holding each / 超期事项',
      tags: ['reports'],
      auth: 'public',
      query: OverdueQuerySchema,
      responses: { 200: { description: 'Oldest first', schema: OverdueSchema }, ...unknownVillage },
      handle: (input) => overdue(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/reports/yearly',
      summary: "A village's yearly report, JSON / 年度报告",
      tags: ['reports'],
      auth: 'public',
      query: YearlyQuerySchema,
      responses: { 200: { description: 'The report', schema: YearlyReportSchema }, ...unknownVillage },
      handle: (input) => yearly(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/reports/yearly.csv',
      summary: "A village's yearly report as a CSV file / 年度报告（CSV）",
      tags: ['reports'],
      auth: 'public',
      query: YearlyQuerySchema,
      responses: {
        200: { description: 'CSV (UTF-8 with BOM)', schema: z.string(), contentType: 'text/csv' },
        ...unknownVillage,
      },
      handle: (input) => yearlyCsv(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/reports/yearly/print',
      summary: "A village's yearly report as a printable page / 年度报告（打印）",
      tags: ['reports'],
      auth: 'public',
      query: YearlyQuerySchema,
      responses: {
        200: { description: 'Printable HTML', schema: z.string(), contentType: 'text/html' },
        ...unknownVillage,
      },
      handle: (input) => yearlyPrint(deps, input),
    }),
  ];
}
