import type { Lang } from './i18n';
import type { Me } from './types';

/** What a page gets from the shell; everything it starts stops when `signal` aborts (the reader left). */
export interface PageContext {
  lang: Lang;
  me: Me | undefined;
  signal: AbortSignal;
  /** runs `fn` every `ms` until the page is left; one run at a time */
  every(ms: number, fn: () => Promise<void>): void;
  go(hash: string): void;
  reloadMe(): Promise<void>;
  setTitle(text: string): void;
}
