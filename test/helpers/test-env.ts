/** Names of what globalSetup hands to every test file through the environment. */
export const TEST_ENV = {
  address: 'XWQL_TEST_TEMPORAL_ADDRESS',
  cli: 'XWQL_TEST_TEMPORAL_CLI',
  testServer: 'XWQL_TEST_TEMPORAL_TEST_SERVER',
  bundle: 'XWQL_TEST_WORKFLOW_BUNDLE',
  tmpDir: 'XWQL_TEST_TMP_DIR',
} as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value)
    throw new Error(`${TEST_ENV[name]} is not set: run the tests through jest (its globalSetup starts Temporal)`);
  return value;
}
