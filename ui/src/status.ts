import type { MessageKey } from './i18n';

export type StatusLevel = 'ok' | 'warn' | 'down';

export interface StatusView {
  level: StatusLevel;
  message: MessageKey;
}

interface Check {
  ok?: unknown;
}

/** Turns a /readyz answer (or its absence) into what a resident can understand. */
export function describeReadiness(body: unknown): StatusView {
  if (typeof body !== 'object' || body === null || !('checks' in body))
    return { level: 'down', message: 'statusUnknown' };
  const checks = body.checks as { temporal?: Check; worker?: Check } | null;
  if (checks?.temporal?.ok !== true) return { level: 'down', message: 'statusNoTemporal' };
  if (checks.worker?.ok !== true) return { level: 'warn', message: 'statusNoWorker' };
  return { level: 'ok', message: 'statusReady' };
}
