import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { testEnv } from '../helpers/test-env';

/**
 * The workflow bundle's `preloadModules` must really evaluate zod, feelin and @noble/hashes once per
 * worker thread. A bare `import 'zod'` in worker/workflow-preload.ts was dropped by the bundler (the
 * package says it has no side effects), so every matter evaluated them again: ~700 KiB per cached matter.
 * And after the SDK freezes them, building the engine's schemas must still work.
 *
 * The bundle is loaded the way the SDK's reusable V8 context loads it: one module cache shared while no
 * workflow is active, a cache of its own for each workflow after that.
 */

interface Activator {
  moduleCache: Map<string | symbol, unknown>;
}

function loadBundle(): { shared: Map<string | symbol, unknown>; importWorkflowsAs: (activator: Activator) => void } {
  const code = readFileSync(testEnv('bundle'), 'utf8');
  const quiet = { log() {}, warn() {}, error() {}, info() {}, debug() {} };
  const context = vm.createContext({ console: quiet, TextEncoder, TextDecoder, setTimeout, clearTimeout, URL });
  const shared = new Map<string | symbol, unknown>();
  let active: Activator | undefined;
  const cache = new Proxy(
    {},
    {
      get: (_, key) => shared.get(key) ?? active?.moduleCache.get(key),
      set: (_, key, value) => {
        (active ? active.moduleCache : shared).set(key, value);
        return true;
      },
    },
  );
  Object.defineProperty(context, '__webpack_module_cache__', { value: cache });
  vm.runInContext(code, context);
  vm.runInContext('__TEMPORAL__.preloadModules?.()', context);
  // as the SDK does: what was preloaded, and the globals, are frozen before the first workflow
  for (const module of shared.values()) deepFreeze(module);
  const globals = vm.runInContext('Object.getOwnPropertyDescriptors(globalThis)', context) as Record<
    string,
    PropertyDescriptor
  >;
  for (const [name, descriptor] of Object.entries(globals)) if (name !== 'globalThis') deepFreeze(descriptor.value);
  return {
    shared,
    importWorkflowsAs(activator) {
      active = activator;
      (context as { __TEMPORAL_ACTIVATOR__?: Activator }).__TEMPORAL_ACTIVATOR__ = activator;
      vm.runInContext('__TEMPORAL__.importWorkflows()', context);
      active = undefined;
    },
  };
}

/** The SDK's freeze (reusable-vm.js, private there): objects recursively, functions themselves only. */
function deepFreeze(value: unknown, seen = new WeakSet<object>()): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
  if (seen.has(value) || Object.isFrozen(value)) return;
  seen.add(value);
  if (typeof value === 'object') {
    for (const key of Reflect.ownKeys(value)) {
      try {
        deepFreeze((value as Record<string | symbol, unknown>)[key], seen);
      } catch {
        // some objects (typed arrays) cannot be frozen
      }
    }
  }
  Object.freeze(value);
}

const keys = (map: Map<string | symbol, unknown>) => [...map.keys()].map(String);

describe('workflow bundle preload', () => {
  const { shared, importWorkflowsAs } = loadBundle();

  test('zod, feelin, its parser and @noble/hashes are evaluated once, before any matter', () => {
    expect(keys(shared).filter((k) => /node_modules\/zod\//.test(k))).not.toHaveLength(0);
    expect(keys(shared).filter((k) => /node_modules\/feelin\//.test(k))).not.toHaveLength(0);
    expect(keys(shared).filter((k) => /node_modules\/@lezer\/lr\//.test(k))).not.toHaveLength(0);
    expect(keys(shared).filter((k) => /node_modules\/@noble\/hashes\//.test(k))).not.toHaveLength(0);
  });

  test('a matter evaluates the engine in its own cache but not the preloaded libraries', () => {
    const matter: Activator = { moduleCache: new Map() };
    importWorkflowsAs(matter);
    const own = keys(matter.moduleCache);
    expect(own.some((k) => k.includes('/workflows/'))).toBe(true);
    expect(own.filter((k) => /node_modules\/(zod|feelin|@lezer|lezer-feel|@noble)\//.test(k))).toEqual([]);
  });
});
