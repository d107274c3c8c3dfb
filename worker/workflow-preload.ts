/**
 * Loaded once per worker thread and shared by every workflow in it (the bundler's `preloadModules`,
 * create-worker.ts): zod, feelin (with its parser and date polyfill) and @noble/hashes. Without this each
 * new matter evaluates them again in its own module cache: 1.1 MiB per cached matter instead of 0.4.
 *
 * The SDK deep-freezes what a preloaded module exports, and the globals. zod 4.6 sets its default
 * memoizer in its (global) config the first time a container schema is built: done here, before the
 * freeze, or every matter's first task fails with "Cannot add property memoizer". Its lazily installed
 * members go on prototypes, which the freeze leaves alone. The engine's own modules are not preloaded:
 * their exported zod schemas memoize into themselves.
 */
import * as sha2 from '@noble/hashes/sha2';
import * as hashUtils from '@noble/hashes/utils';
import * as feelin from 'feelin';
import * as zod from 'zod';

/**
 * Referenced, not only imported: these packages declare `sideEffects: false`, so the bundler dropped a
 * bare `import 'zod'` and nothing was preloaded.
 */
zod.z.object({ warm: zod.z.array(zod.z.enum(['warm'])) }).parse({ warm: ['warm'] });
export const preloaded = [sha2, hashUtils, feelin, zod];
