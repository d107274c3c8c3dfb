/**
 * Loaded once per worker thread and shared by every workflow in it (the bundler's `preloadModules`,
 * create-worker.ts): feelin (with its parser and date polyfill) and @noble/hashes. Without this each new
 * matter evaluates them again in its own module cache: about 400 KiB per cached matter. The SDK
 * deep-freezes what a preloaded module exports, so only libraries that never write to their own exports
 * belong here. Not zod: zod 4.6 installs members on its shared prototypes and globalConfig lazily, on
 * first use, which a frozen copy refuses (a workflow task then fails). Not the engine's own modules,
 * whose exported zod schemas memoize into themselves.
 */
import * as sha2 from '@noble/hashes/sha2';
import * as hashUtils from '@noble/hashes/utils';
import * as feelin from 'feelin';

/**
 * Referenced, not only imported: these packages declare `sideEffects: false`, so the bundler dropped a
 * bare `import 'feelin'` and nothing was preloaded.
 */
export const preloaded = [sha2, hashUtils, feelin];
