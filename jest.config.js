/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is `npm run build`'s job; jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
    // bpmn-moddle, feelin and their dependencies ship ESM only; jest's module runtime cannot load
    // ESM through require(), so it transpiles them to CommonJS (compiled Node loads them natively).
    '^.+\\.m?js$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(bpmn-moddle|moddle|moddle-xml|min-dash|saxen|feelin|lezer-feel|@lezer|temporal-polyfill|temporal-spec|temporal-utils|jose)/)',
  ],
  // One Temporal dev server for the whole run, on free ports, stopped even when tests fail.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
