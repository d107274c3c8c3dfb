/**
 * `npm run test:cluster` only (test/cluster/*.cluster.ts): the production shape under faults. Not part of
 * `npm test`: it starts its own cluster (no dev server from globalSetup) and runs for minutes.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  testTimeout: 600_000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
