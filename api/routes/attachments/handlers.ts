import type { z } from 'zod';
import { type AttachmentMeta, type AttachmentStorePort } from '../../../common/attachments';
import type { DirectoryPort } from '../../../common/directory';
import { ErrorCode } from '../../../common/errors';
import { rolesIn, signedIn } from '../../auth/principal';
import { ApiError } from '../../errors';
import type { RouteInput } from '../../route';
import type { AttachmentParamsSchema, UploadQuerySchema } from './schemas';
import { sniffType } from './sniff';

export interface AttachmentDeps {
  directory: DirectoryPort;
  now: () => Date;
  /** absent → 503 */
  store?: AttachmentStorePort;
  /** largest file accepted, in bytes */
  maxBytes: number;
  /** the files a matter's notices have made public (common/disclosed-files.ts); absent → none */
  disclosedFiles?: (matterId: string) => Promise<Set<string>>;
}

function storeOf(deps: AttachmentDeps): AttachmentStorePort {
  if (!deps.store)
    throw new ApiError(503, ErrorCode.NotConfigured, 'Attachments are not configured here / 未配置附件存储');
  return deps.store;
}

export async function upload(
  deps: AttachmentDeps,
  { query, req, res, principal }: RouteInput<unknown, z.infer<typeof UploadQuerySchema>, unknown>,
) {
  const who = signedIn(principal);
  const directory = deps.directory.current();
  if (!directory.villages.some((v) => v.id === query.village))
    throw new ApiError(404, ErrorCode.NotFound, `No village ${query.village} / 没有该村`, [
      { field: 'query.village', message: 'unknown village' },
    ]);
  if (rolesIn(directory, who, query.village).length === 0)
    throw new ApiError(403, ErrorCode.OutOfScope, `You hold no role in ${query.village} / 您在该村没有职务`);
  const bytes: unknown = req.body;
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0)
    throw new ApiError(400, ErrorCode.InvalidRequest, 'The file is empty / 文件是空的', [
      { field: 'body', message: 'the request body must be the file' },
    ]);
  const type = sniffType(bytes);
  if (!type)
    throw new ApiError(
      415,
      ErrorCode.UnsupportedMediaType,
      'Only PDF files and photos (JPEG, PNG, WebP, HEIC) are accepted / 只接受 PDF 文件和照片',
      [{ field: 'body', message: 'not a PDF, JPEG, PNG, WebP or HEIC file' }],
    );
  const meta = await storeOf(deps).put(bytes, type, {
    village: query.village,
    ...(query.matter ? { matter: query.matter } : {}),
    ...(query.name ? { name: query.name } : {}),
    uploadedBy: who.id,
    uploadedAt: deps.now().toISOString(),
  });
  res.status(201).json({ hash: meta.hash, type: meta.type, size: meta.size });
}

/** Whether a notice of a matter the file was uploaded for discloses it (the public may then read it). */
async function isDisclosed(deps: AttachmentDeps, meta: AttachmentMeta): Promise<boolean> {
  const matters = [...new Set(meta.uses.flatMap((u) => (u.matter ? [u.matter] : [])))];
  for (const matter of matters) if ((await deps.disclosedFiles?.(matter))?.has(meta.hash)) return true;
  return false;
}

/**
 * A file is read by whoever may read the full record of a village it was uploaded for, and by
 * everyone once a notice of its matter discloses it (一事一公开).
 */
export async function download(
  deps: AttachmentDeps,
  { params, res, principal }: RouteInput<z.infer<typeof AttachmentParamsSchema>, unknown, unknown>,
) {
  const store = storeOf(deps);
  const meta = await store.meta(params.hash);
  if (!meta) throw new ApiError(404, ErrorCode.NotFound, 'No such file / 没有这个文件');
  const directory = deps.directory.current();
  const member = meta.uses.some((u) => rolesIn(directory, principal, u.village).length > 0);
  if (!member && !(await isDisclosed(deps, meta))) {
    if (!principal) signedIn(principal);
    throw new ApiError(403, ErrorCode.OutOfScope, 'This file is for the village it belongs to / 该文件仅供本村查看');
  }
  const bytes = await store.read(params.hash);
  if (!bytes) throw new ApiError(404, ErrorCode.NotFound, 'No such file / 没有这个文件');
  const name = meta.uses.find((u) => u.name)?.name;
  res.setHeader('content-type', meta.type);
  res.setHeader('cache-control', 'private, max-age=31536000, immutable');
  res.setHeader('x-content-sha256', meta.hash);
  if (name) res.setHeader('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`);
  res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
