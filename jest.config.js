/**
 * Five projects. `unit` needs nothing but Node: no Temporal server, no workflow bundle, so
 * `npm run test:unit` runs alone in seconds. `property` needs nothing either, but generates
 * thousands of inputs (the compiler's mutation test alone takes minutes here), so only `npm test`
 * runs it. The other three share one Temporal dev server and one workflow bundle, started by
 * test/global-setup.ts once per run however many of them run.
 */
const transform = {
  // Type checking is `npm run typecheck`'s job (inside `npm test`); jest only transpiles.
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  // bpmn-moddle, feelin and their dependencies ship ESM only; jest's module runtime cannot load
  // ESM through require(), so it transpiles them to CommonJS (compiled Node loads them natively).
  '^.+\\.m?js$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
};

const project = (name, withTemporal) => ({
  displayName: name,
  testEnvironment: 'node',
  roots: [`<rootDir>/test/${name}`],
  testMatch: ['**/*.test.ts'],
  transform,
  transformIgnorePatterns: [
    '/node_modules/(?!(bpmn-moddle|moddle|moddle-xml|min-dash|saxen|feelin|lezer-feel|@lezer|temporal-polyfill|temporal-spec|temporal-utils|jose)/)',
  ],
  ...(withTemporal
    ? {
        // One Temporal dev server for the whole run, on free ports, stopped even when tests fail.
        globalSetup: '<rootDir>/test/global-setup.ts',
        globalTeardown: '<rootDir>/test/global-teardown.ts',
      }
    : {}),
});

const projects = [
  project('unit', false),
  project('property', false),
  project('integration', true),
  project('e2e', true),
  project('system', true),
];

/** @type {import('jest').Config} */
module.exports = {
  // `npm run test:unit [-- <paths> <jest flags>]`: the unit project only. (jest's --selectProjects
  // takes every word after it as a project name, so `test:unit` could not pass paths through it.)
  projects: process.env.npm_lifecycle_event === 'test:unit' ? projects.slice(0, 1) : projects,
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
