import { z } from 'zod';

/**
 * Attachments: minutes, sign-in sheets, invoices, contracts, photos. Stored by the sha256 of their
 * bytes (computed by the server), which is what a step's `hash` field records: the record names
 * exactly the file the store keeps, and the same file uploaded twice is kept once.
 */

export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export const AttachmentTypeSchema = z.enum(ATTACHMENT_TYPES);
export type AttachmentType = z.infer<typeof AttachmentTypeSchema>;

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');

/** Where (and by whom) a file was uploaded: it decides who may read it. */
export const AttachmentUseSchema = z.object({
  village: z.string(),
  matter: z.string().optional(),
  name: z.string().max(200).optional(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
export type AttachmentUse = z.infer<typeof AttachmentUseSchema>;

export const AttachmentMetaSchema = z.object({
  hash: Sha256Schema,
  type: AttachmentTypeSchema,
  size: z.number().int().nonnegative(),
  uses: z.array(AttachmentUseSchema),
});
export type AttachmentMeta = z.infer<typeof AttachmentMetaSchema>;

export interface AttachmentStorePort {
  /** Keeps the bytes under their sha256 (once) and adds `use` to the file's uses; returns the file's record. */
  put(bytes: Uint8Array, type: AttachmentType, use: AttachmentUse): Promise<AttachmentMeta>;
  meta(hash: string): Promise<AttachmentMeta | undefined>;
  read(hash: string): Promise<Uint8Array | undefined>;
}
