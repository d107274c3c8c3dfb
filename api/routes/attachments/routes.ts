import express from 'express';
import { defineRoute, type RouteDef } from '../../route';
import { download, upload, type AttachmentDeps } from './handlers';
import { AttachmentParamsSchema, UploadQuerySchema, UploadedSchema } from './schemas';

/** Phones' photos are a few MB; a scanned PDF of a meeting's minutes rarely more. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Minutes, sign-in sheets, invoices, contracts and photos, kept by the sha256 the server computes. */
export function attachmentRoutes(deps: Omit<AttachmentDeps, 'maxBytes'> & { maxBytes?: number }): RouteDef[] {
  const full: AttachmentDeps = { ...deps, maxBytes: deps.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES };
  return [
    defineRoute({
      method: 'post',
      path: '/attachments',
      summary: 'Upload a file (the body is the file) for a village or a matter / 上传附件',
      tags: ['attachments'],
      auth: 'login',
      query: UploadQuerySchema,
      // the body is the file itself: raw bytes, whatever the declared type (it is sniffed)
      middleware: [express.raw({ type: () => true, limit: full.maxBytes })],
      responses: {
        201: { description: 'Stored; `hash` goes into the step field', schema: UploadedSchema },
        403: { description: 'No role in that village' },
        413: { description: 'Too large' },
        415: { description: 'Not a PDF or a photo' },
      },
      handle: (input) => upload(full, input),
    }),
    defineRoute({
      method: 'get',
      path: '/attachments/:hash',
      summary: 'A file, to whoever may read its village in full, or to anyone once a notice discloses it / 查看附件',
      tags: ['attachments'],
      auth: 'public',
      params: AttachmentParamsSchema,
      responses: {
        200: { description: 'The file', contentType: 'application/octet-stream' },
        401: { description: 'Sign in first' },
        403: { description: 'Not for this reader' },
        404: { description: 'No such file' },
      },
      handle: (input) => download(full, input),
    }),
  ];
}
