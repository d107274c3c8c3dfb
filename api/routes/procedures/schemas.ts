import { z } from 'zod';

export const ProcedureParamsSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'id must be a procedure id such as major-decision'),
});

export const VersionParamsSchema = ProcedureParamsSchema.extend({
  version: z.string().regex(/^[0-9a-f]{16}$/, 'version must be 16 hex digits'),
});
