import { defineRoute, type RouteDef } from '../../route';
import { exportRecord, verifyExportedRecord, verifyLiveRecord, type RecordDeps } from './record-handlers';
import {
  ChainVerdictSchema,
  ExportVerdictSchema,
  MatterParamsSchema,
  RecordExportSchema,
  VerifyRecordBodySchema,
} from './record-schemas';

/** The record of a matter: exported as a file, and its hash chain checked, live or from a file. */
export function recordRoutes(deps: RecordDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/matters/:id/record',
      summary: "Export a matter's hash-chained record as JSON (redacted for the public) / 导出事项记录",
      tags: ['records'],
      auth: 'public',
      params: MatterParamsSchema,
      responses: {
        200: {
          description:
            'The record, every entry linked to the one before; `access` says whether personal data was masked. Sent as an attachment.',
          schema: RecordExportSchema,
        },
        404: { description: 'No such matter' },
      },
      handle: (input) => exportRecord(deps, input),
    }),
    defineRoute({
      method: 'get',
      path: '/matters/:id/record/verify',
      summary: "Recompute the hash chain of a matter's live record / 校验事项记录",
      tags: ['records'],
      auth: 'public',
      params: MatterParamsSchema,
      responses: {
        200: { description: 'The verdict; `head` is the hash of the last entry', schema: ChainVerdictSchema },
        404: { description: 'No such matter' },
      },
      handle: (input) => verifyLiveRecord(deps, input),
    }),
    defineRoute({
      method: 'post',
      path: '/records/verify',
      summary: 'Check an exported record file: does every entry still match its hash? / 校验下载的记录',
      tags: ['records'],
      auth: 'public',
      body: VerifyRecordBodySchema,
      responses: {
        200: {
          description:
            'The verdict: `ok: false` names the first entry that was altered, removed or reordered (`brokenAt` = its seq) and why',
          schema: ExportVerdictSchema,
        },
        400: { description: 'Not a record export (no `entries` array)' },
      },
      handle: (input) => verifyExportedRecord(input),
    }),
  ];
}
