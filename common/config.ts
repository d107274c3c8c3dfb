import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from './task-queues';

/**
 * Runtime configuration, parsed from the environment at every process boundary
 * (supervisor, worker, API). Pure: takes the env as an argument so it can be tested
 * and so that no module reads `process.env` behind the caller's back.
 */

const port = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(value) || value < 1 || value > 65535) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from 1 to 65535 (got "${raw}")` });
        return z.NEVER;
      }
      return value;
    });

const positiveInt = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || value < 1) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a positive whole number (got "${raw}")` });
        return z.NEVER;
      }
      return value;
    });

const nonEmpty = (name: string, fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      if (raw.trim() === '') {
        ctx.addIssue({ code: 'custom', message: `${name} must not be empty` });
        return z.NEVER;
      }
      return raw.trim();
    });

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

const hostPort = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || raw.trim() === '') return undefined;
    if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(raw.trim())) {
      ctx.addIssue({ code: 'custom', message: `TEMPORAL_ADDRESS must look like host:port (got "${raw}")` });
      return z.NEVER;
    }
    return raw.trim();
  });

const oneOf = <T extends string>(name: string, values: readonly [T, ...T[]], fallback: T) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const found = values.find((v) => v === raw.trim());
      if (found === undefined) {
        ctx.addIssue({ code: 'custom', message: `${name} must be one of ${values.join(', ')} (got "${raw}")` });
        return z.NEVER;
      }
      return found;
    });

export const EnvSchema = z.object({
  NODE_ENV: oneOf('NODE_ENV', ['development', 'production', 'test'], 'development'),
  LOG_LEVEL: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  HOST: nonEmpty('HOST', '0.0.0.0'),
  PORT: port('PORT', 3000),
  DATA_DIR: nonEmpty('DATA_DIR', './data'),
  PROCEDURES_DIR: nonEmpty('PROCEDURES_DIR', './procedures'),
  POLICY_FILE: nonEmpty('POLICY_FILE', './procedures/policies/luojiang.json'),
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: nonEmpty('TEMPORAL_NAMESPACE', 'default'),
  TEMPORAL_TASK_QUEUE: nonEmpty('TEMPORAL_TASK_QUEUE', DEFAULT_TASK_QUEUE),
  TEMPORAL_PORT: port('TEMPORAL_PORT', 7233),
  TEMPORAL_UI_PORT: port('TEMPORAL_UI_PORT', 8233),
  TEMPORAL_CLI: optionalText,
  TEMPORAL_READY_TIMEOUT_MS: positiveInt('TEMPORAL_READY_TIMEOUT_MS', 60_000),
  /** every API request's calls to Temporal end by then (503 TEMPORAL_UNAVAILABLE / NO_WORKER) */
  TEMPORAL_CALL_TIMEOUT_MS: positiveInt('TEMPORAL_CALL_TIMEOUT_MS', 10_000),
  /** /readyz: each of its calls to Temporal (and the worker probe) gets this long */
  READINESS_TIMEOUT_MS: positiveInt('READINESS_TIMEOUT_MS', 3000),
  /** /readyz: an answer is reused this long, so balancers asking often do not load Temporal */
  READINESS_CACHE_MS: positiveInt('READINESS_CACHE_MS', 2000),
  /** default $DATA_DIR/directory.json */
  DIRECTORY_FILE: optionalText,
  /** the worker's resident memory budget: its workflow cache is sized to it (worker/create-worker.ts) */
  WORKER_MEMORY_MIB: positiveInt('WORKER_MEMORY_MIB', 1024),
  /** signs session tokens; required in production, at least 32 characters */
  SESSION_SECRET: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      if (raw.length < 32) {
        ctx.addIssue({ code: 'custom', message: 'SESSION_SECRET must be at least 32 characters' });
        return z.NEVER;
      }
      return raw;
    }),
  SESSION_TTL_MINUTES: positiveInt('SESSION_TTL_MINUTES', 8 * 60),
  /** failed log-ins per user id and address within LOGIN_WINDOW_MINUTES before 429 */
  LOGIN_ATTEMPTS: positiveInt('LOGIN_ATTEMPTS', 5),
  LOGIN_WINDOW_MINUTES: positiveInt('LOGIN_WINDOW_MINUTES', 15),
  /** the longest wait between tries of one user id from one address */
  LOGIN_MAX_WAIT_SECONDS: positiveInt('LOGIN_MAX_WAIT_SECONDS', 60),
  /** failed log-ins per address over all user ids within LOGIN_WINDOW_MINUTES before 429 */
  LOGIN_ADDRESS_FAILURES: positiveInt('LOGIN_ADDRESS_FAILURES', 100),
  /** API processes behind one round-robin balancer: each enforces 1/n of every rate limit (api/replica-share.ts) */
  API_REPLICAS: positiveInt('API_REPLICAS', 1),
  /** opinions (民意直通车) one address may send to one village per hour */
  OPINION_SUBMISSIONS_PER_HOUR: positiveInt('OPINION_SUBMISSIONS_PER_HOUR', 60),
  /** express `trust proxy`: false, a number of hops, or addresses/subnets (loopback, 10.0.0.0/8, …) */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((raw, ctx): TrustProxy => {
      const value = raw?.trim() ?? '';
      if (value === '' || value === 'false') return false;
      if (/^\d+$/.test(value)) return Number(value);
      if (value === 'true') {
        ctx.addIssue({
          code: 'custom',
          message:
            "TRUST_PROXY=true would believe any client's X-Forwarded-For: give the number of proxies or their addresses",
        });
        return z.NEVER;
      }
      if (!/^[A-Za-z0-9.:/,\s]+$/.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message: `TRUST_PROXY must be false, a number of hops or addresses (got "${raw}")`,
        });
        return z.NEVER;
      }
      return value;
    }),
});

export type Env = z.infer<typeof EnvSchema>;

/** express's `trust proxy`: no proxy, how many hops, or which addresses */
export type TrustProxy = false | number | string;

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  host: string;
  port: number;
  dataDir: string;
  /** The BPMN files of the list, and the policy file (thresholds, durations, effective dates). */
  proceduresDir: string;
  policyFile: string;
  directoryFile: string;
  session: {
    /** undefined only outside production: the supervisor then keeps one in DATA_DIR */
    secret: string | undefined;
    ttlMinutes: number;
    loginAttempts: number;
    loginWindowMinutes: number;
    loginMaxWaitSeconds: number;
    loginAddressFailures: number;
  };
  trustProxy: TrustProxy;
  /** API processes behind one round-robin balancer; each enforces 1/n of every rate limit */
  apiReplicas: number;
  opinionSubmissionsPerHour: number;
  temporal: {
    /** Set: use that cluster and start no dev server. Unset: the embedded dev server. */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    devServerPort: number;
    devServerUiPort: number;
    cli: string | undefined;
    readyTimeoutMs: number;
    /** deadline of an API request's calls to Temporal */
    callTimeoutMs: number;
  };
  readiness: { timeoutMs: number; cacheMs: number };
  worker: { memoryMib: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration / 配置错误: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.SESSION_SECRET === undefined) {
    throw new ConfigError([
      'SESSION_SECRET is required in production (at least 32 random characters, e.g. `openssl rand -base64 48`)',
    ]);
  }
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    port: e.PORT,
    dataDir: e.DATA_DIR,
    proceduresDir: e.PROCEDURES_DIR,
    policyFile: e.POLICY_FILE,
    directoryFile: e.DIRECTORY_FILE ?? `${e.DATA_DIR.replace(/\/+$/, '')}/directory.json`,
    session: {
      secret: e.SESSION_SECRET,
      ttlMinutes: e.SESSION_TTL_MINUTES,
      loginAttempts: e.LOGIN_ATTEMPTS,
      loginWindowMinutes: e.LOGIN_WINDOW_MINUTES,
      loginMaxWaitSeconds: e.LOGIN_MAX_WAIT_SECONDS,
      loginAddressFailures: e.LOGIN_ADDRESS_FAILURES,
    },
    trustProxy: e.TRUST_PROXY,
    apiReplicas: e.API_REPLICAS,
    opinionSubmissionsPerHour: e.OPINION_SUBMISSIONS_PER_HOUR,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      devServerPort: e.TEMPORAL_PORT,
      devServerUiPort: e.TEMPORAL_UI_PORT,
      cli: e.TEMPORAL_CLI,
      readyTimeoutMs: e.TEMPORAL_READY_TIMEOUT_MS,
      callTimeoutMs: e.TEMPORAL_CALL_TIMEOUT_MS,
    },
    readiness: { timeoutMs: e.READINESS_TIMEOUT_MS, cacheMs: e.READINESS_CACHE_MS },
    worker: { memoryMib: e.WORKER_MEMORY_MIB },
  };
}
