import type { z } from 'zod';
import type { ActionErrorCode, ActionProblem } from './types';

export function problem(code: ActionErrorCode, message: string, details?: ActionProblem['details']): ActionProblem {
  return details ? { code, message, details } : { code, message };
}

export function zodDetails(error: z.ZodError, prefix = 'data'): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}
