/**
 * Loaded once per worker thread and shared by every workflow in it (the bundler's `preloadModules`,
 * create-worker.ts): the libraries the engine uses. Without this each new matter evaluates
 * zod, feelin (with its parser) and @noble/hashes again in its own module cache: megabytes and
 * milliseconds per matter. The SDK deep-freezes what a preloaded module exports, so only libraries
 * whose exports are never written to belong here: not the engine's own modules, whose exported zod
 * schemas memoize into themselves on first use.
 */
import '@noble/hashes/sha2';
import '@noble/hashes/utils';
import 'feelin';
import 'zod';
