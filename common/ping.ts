import { z } from 'zod';

/**
 * Contract of the `ping` workflow: the smallest real round trip (API → Temporal → worker →
 * activity → back) that proves the runtime works. The procedure engine replaces it as the
 * product's workflow; it stays as a health probe that survives restarts.
 */
export const PING_WORKFLOW = 'ping';

export const PingInputSchema = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters'),
  delaySeconds: z
    .number()
    .int('delaySeconds must be a whole number')
    .min(0, 'delaySeconds must be at least 0')
    .max(86_400, 'delaySeconds must be at most 86400')
    .default(0),
});
export type PingInput = z.infer<typeof PingInputSchema>;

export const PingResultSchema = z.object({
  greeting: z.string(),
  greetedAt: z.string(),
});
export type PingResult = z.infer<typeof PingResultSchema>;
