import { z } from 'zod';
import { MatterParamsSchema } from './schemas';

export { MatterParamsSchema };

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');

/** One entry of a matter's record as exported (common/engine.ts RecordEntry with its chain links). */
export const RecordEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  userId: z.string(),
  role: z.string(),
  step: z.string().nullable(),
  action: z.string(),
  decision: z.string().optional(),
  reason: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  prev: Hex64,
  hash: Hex64,
  /** committed entry, full copy: the salt its values are committed with (common/record-chain.ts) */
  salt: Hex64.optional(),
  /** the public copy hides personal data in this entry (proven by `proof` when the entry is committed) */
  redacted: z.literal(true).optional(),
  /** public copy of a committed entry: salts of the values shown, digests of the values hidden */
  proof: z.object({ salts: z.record(z.string(), Hex64), digests: z.record(z.string(), Hex64) }).optional(),
});

export const RecordExportSchema = z.object({
  matterId: z.string(),
  procedure: z.object({ id: z.string(), version: z.string() }),
  village: z.string(),
  title: z.string(),
  /** `public`: personal data masked (common/redact.ts); `full`: as recorded */
  access: z.enum(['public', 'full']),
  exportedAt: z.string(),
  entries: z.array(RecordEntrySchema),
  /** hash of the last entry */
  head: Hex64,
});
export type RecordExport = z.infer<typeof RecordExportSchema>;

/**
 * What POST /api/records/verify accepts: an exported record, read loosely so that an altered
 * entry is reported by the chain check (naming the entry) rather than refused as malformed.
 */
export const VerifyRecordBodySchema = z
  .object({
    matterId: z.string().max(200).optional(),
    entries: z.array(z.record(z.string(), z.unknown())).max(20_000, 'at most 20000 entries'),
    head: z.string().max(64).optional(),
  })
  .loose();

export const ChainVerdictSchema = z.object({
  ok: z.boolean(),
  /** number of entries checked */
  length: z.number().int(),
  head: z.string(),
  /** seq of the first entry that does not verify */
  brokenAt: z.number().int().optional(),
  reason: z.string().optional(),
});

export const ExportVerdictSchema = ChainVerdictSchema.extend({
  matterId: z.string().optional(),
  /** seqs of entries that hide personal data from the public, each hidden value proven by its digest */
  redacted: z.array(z.number().int()),
});
