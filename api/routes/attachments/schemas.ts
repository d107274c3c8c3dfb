import { z } from 'zod';
import { AttachmentTypeSchema, Sha256Schema } from '../../../common/attachments';

export const UploadQuerySchema = z.object({
  village: z.string().min(1, 'village must not be empty').max(64),
  matter: z.string().min(1).max(100).optional(),
  /** the file's name on the uploader's device, shown beside the link */
  name: z.string().trim().max(200).optional(),
});

export const AttachmentParamsSchema = z.object({ hash: Sha256Schema });

export const UploadedSchema = z.object({
  hash: Sha256Schema,
  type: AttachmentTypeSchema,
  size: z.number().int(),
});
