import { existsSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { ConfigError, parseConfig } from '../common/config';
import { loadDirectory } from '../stores/directory';
import { createNoticeStore } from '../stores/notices';
import { openProjection, projectionFile } from '../stores/read-model';
import { adoptFromVisibility } from '../stores/read-model/adopt';
import { createWorker } from './create-worker';
import { temporalLoggerFrom } from './logger';
import { ensureMonthlyNoticeSchedule } from './schedules';

/** Where `npm run build` writes the workflow bundle (see scripts/build-assets.ts). */
export const BUILT_BUNDLE = path.resolve(__dirname, '..', 'workflow-bundle.js');

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'worker' } });
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
  Runtime.install({
    logger: temporalLoggerFrom(logger),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } },
  });
  const connection = await NativeConnection.connect({ address });
  // Activities that read other matters (split payments) need a client of their own.
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const directoryFile = path.resolve(config.directoryFile);
  // The board's schedule must not keep the worker (and every matter) from running: log and go on.
  try {
    const schedule = await ensureMonthlyNoticeSchedule(client, { taskQueue: config.temporal.taskQueue });
    logger.info({ schedule }, 'monthly notice schedule in place');
  } catch (err) {
    logger.error({ err }, 'could not create the monthly notice schedule / 未能创建三务公开定时任务');
  }
  const projection = openProjection(projectionFile(config.dataDir));
  const worker = await createWorker({
    projection,
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activityDeps: {
      client,
      // Read when the notices go out, so a village added since start-up is on the board too.
      // practice villages (演练村) publish no monthly notice
      villages: () => loadDirectory(directoryFile).villages.filter((v) => !v.practice),
      notices: createNoticeStore(path.resolve(config.dataDir, 'notices')),
    },
    workflowBundle: existsSync(BUILT_BUNDLE) ? { codePath: BUILT_BUNDLE } : undefined,
    memoryBytes: config.worker.memoryMib * 2 ** 20,
  });
  // A supervisor that dies without signalling still closes our IPC channel: stop with it
  // rather than linger as an orphan. The Runtime also stops the worker on SIGTERM/SIGINT, and
  // shutdown() throws unless the worker is still running: ask once, whoever comes first.
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('disconnect', stop);
  process.channel?.unref();
  logger.info({ address, taskQueue: config.temporal.taskQueue }, 'worker polling');
  // Matters written before the projection existed (or all, into a new or lost file) come in once from
  // what they published to visibility, while the worker already runs: a row a matter writes meanwhile stays.
  adoptFromVisibility(client, projection).then(
    (adopted) => adopted && logger.info(adopted, 'matters adopted into the projection from visibility'),
    (err: unknown) => logger.error({ err }, 'could not fill the projection from visibility / 未能从可见性补全读模型'),
  );
  await worker.run();
  await connection.close();
  await clientConnection.close();
  projection.close();
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  const message =
    err instanceof ConfigError ? err.message : `worker failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
