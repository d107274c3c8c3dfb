import { z } from 'zod';

export { PingInputSchema } from '../../../common/ping';

export const PingIdParamsSchema = z.object({
  id: z.string().regex(/^ping-[A-Za-z0-9._:-]{1,128}$/, 'id must be a ping id as returned by POST /api/pings'),
});
