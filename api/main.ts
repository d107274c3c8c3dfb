import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { ConfigError, parseConfig } from '../common/config';
import { DirectoryError } from '../common/directory';
import { objectionDeadlinesFrom } from '../common/objection-deadlines';
import { opinionDeadlinesFrom } from '../common/opinion';
import { createCatalog } from '../procedures/catalog';
import { createProcedureVersionStore } from '../stores/procedure-versions';
import { loadPolicyFile, policyValuesAt } from '../procedures/policy';
import { fileDirectory } from '../stores/directory';
import { createFileAttachmentStore } from '../stores/attachments';
import { createNoticeStore } from '../stores/notices';
import { openProjection, projectionFile } from '../stores/read-model';
import { createApp } from './app';
import { fileRevocations } from './auth/revocation';
import { sessionSecret } from './auth/secret';

const UI_DIR = path.resolve(__dirname, '..', 'ui');

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'api' } });
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
  // Lazy: the API answers /healthz (and says what is missing on /readyz) even while Temporal is down.
  const connection = Connection.lazy({ address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const catalog = createCatalog({
    proceduresDir: path.resolve(config.proceduresDir),
    policyFile: path.resolve(config.policyFile),
    // Every version any matter started with stays here, servable after the files change.
    versions: createProcedureVersionStore(path.resolve(config.dataDir, 'procedures')),
  });
  const app = createApp({
    temporal: { client, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue },
    catalog,
    directory: fileDirectory(path.resolve(config.directoryFile)),
    session: {
      secret: sessionSecret(config.session.secret, path.resolve(config.dataDir)),
      ttlSeconds: config.session.ttlMinutes * 60,
      secureCookie: config.nodeEnv === 'production',
      loginAttempts: config.session.loginAttempts,
      loginWindowMs: config.session.loginWindowMinutes * 60_000,
      loginMaxWaitMs: config.session.loginMaxWaitSeconds * 1000,
      loginAddressFailures: config.session.loginAddressFailures,
    },
    trustProxy: config.trustProxy,
    replicas: config.apiReplicas,
    opinionLimits: { submissions: config.opinionSubmissionsPerHour, windowMs: 60 * 60_000 },
    // a logout holds after a restart and on every API process sharing DATA_DIR
    revocations: fileRevocations(path.resolve(config.dataDir, 'revoked-sessions')),
    logger,
    temporalDeadlineMs: config.temporal.callTimeoutMs,
    readinessTiming: config.readiness,
    uiDir: existsSync(UI_DIR) ? UI_DIR : undefined,
    // Shared with the worker, which writes them (one DATA_DIR, or one volume in docker-compose).
    notices: createNoticeStore(path.resolve(config.dataDir, 'notices')),
    projection: openProjection(projectionFile(config.dataDir)),
    attachments: createFileAttachmentStore(path.resolve(config.dataDir, 'attachments')),
    // Read on every submission, like the catalog: a new policy file applies without a restart.
    opinionDeadlines: (date, town) =>
      opinionDeadlinesFrom(policyValuesAt(loadPolicyFile(path.resolve(config.policyFile)), date, town)),
    objectionDeadlines: (date, town) =>
      objectionDeadlinesFrom(policyValuesAt(loadPolicyFile(path.resolve(config.policyFile)), date, town)),
  });

  const server = app.listen(config.port, config.host);
  server.on('listening', () => logger.info({ port: config.port, host: config.host }, 'api listening'));
  server.on('error', (err: NodeJS.ErrnoException) => {
    const reason =
      err.code === 'EADDRINUSE' ? 'is already in use' : err.code === 'EACCES' ? 'needs more privileges' : err.message;
    process.stderr.write(`PORT=${config.port} ${reason} / 端口 ${config.port} 无法使用\n`);
    process.exit(1);
  });

  const stop = () => {
    server.close(() => {
      void connection.close().finally(() => process.exit(0));
    });
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  // Listening for 'disconnect' must not keep the process alive on its own.
  process.channel?.unref();
}

main().catch((err: unknown) => {
  const message =
    err instanceof ConfigError || err instanceof DirectoryError
      ? err.message
      : `api failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
