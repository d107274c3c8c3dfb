import { ConfigError, parseConfig } from '../../common/config';
import { cachedWorkflowsFor, WORKER_BASE_BYTES } from '../../worker/create-worker';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  test('given nothing set, then the embedded defaults apply', () => {
    const config = parseConfig({});

    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('./data');
    expect(config.temporal).toMatchObject({
      address: undefined,
      namespace: 'default',
      taskQueue: 'matters',
      devServerPort: 7233,
      devServerUiPort: 8233,
    });
  });

  test('given TEMPORAL_ADDRESS and a namespace, then they are used as given', () => {
    const config = parseConfig({ TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_NAMESPACE: 'luojiang' });

    expect(config.temporal.address).toBe('temporal.example:7233');
    expect(config.temporal.namespace).toBe('luojiang');
  });

  test.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['TEMPORAL_PORT', '-1'],
    ['TEMPORAL_UI_PORT', 'x'],
  ])('given %s=%s, then the one problem names the variable and the value', (name, value) => {
    const problems = problemsOf({ [name]: value });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} must be a whole number from 1 to 65535 \\(got "${value}"\\)$`));
  });

  test('given several bad values, then the message is one line naming each', () => {
    let message = '';
    try {
      parseConfig({ PORT: 'x', DATA_DIR: '  ', LOG_LEVEL: 'loud', TEMPORAL_ADDRESS: 'no-port' });
    } catch (err) {
      message = err instanceof Error ? err.message : '';
    }

    expect(message).not.toContain('\n');
    for (const name of ['PORT', 'DATA_DIR', 'LOG_LEVEL', 'TEMPORAL_ADDRESS']) expect(message).toContain(name);
  });

  test('given production without SESSION_SECRET, then it refuses to start and says how to make one', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SESSION_SECRET is required in production/);
  });

  test('given a short SESSION_SECRET, then it is refused; a long one is used, and the directory defaults into DATA_DIR', () => {
    expect(problemsOf({ SESSION_SECRET: 'short' })).toEqual(['SESSION_SECRET must be at least 32 characters']);
    const config = parseConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32), DATA_DIR: '/srv/xwql/' });
    expect(config.session.secret).toBe('s'.repeat(32));
    expect(config.directoryFile).toBe('/srv/xwql/directory.json');
  });

  test('given TRUST_PROXY, then hops or addresses are taken, `true` (believe anyone) is refused, unset trusts none', () => {
    expect(parseConfig({}).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => parseConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true/);
    expect(() => parseConfig({ TRUST_PROXY: 'x;y' })).toThrow(/TRUST_PROXY must be/);
  });

  test('given WORKER_MEMORY_MIB, then the worker caches as many matters as fit beside its base, never fewer than 10', () => {
    expect(parseConfig({}).worker.memoryMib).toBe(1024);
    expect(parseConfig({ WORKER_MEMORY_MIB: '2048' }).worker.memoryMib).toBe(2048);
    expect(problemsOf({ WORKER_MEMORY_MIB: 'lots' }).join(' ')).toMatch(/WORKER_MEMORY_MIB/);
    const MiB = 2 ** 20;
    expect(cachedWorkflowsFor(WORKER_BASE_BYTES + 100 * MiB, MiB)).toBe(100);
    expect(cachedWorkflowsFor(2 * WORKER_BASE_BYTES, MiB)).toBe(WORKER_BASE_BYTES / MiB);
    expect(cachedWorkflowsFor(WORKER_BASE_BYTES / 2, MiB)).toBe(10);
  });
});
