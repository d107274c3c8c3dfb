import { z } from 'zod';

/**
 * Matters a list could not read in time (started by older code and idle since, so without a
 * published summary, and their worker slow or gone): named, never silently left out.
 */
export const UnreadSchema = z.array(z.string()).optional();
