import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { CatalogPort } from './catalog-port';
import { errorHandler, notFoundHandler } from './errors';
import { checkReadiness, type Readiness } from './readiness';
import { healthRouter } from './routes/health/router';
import { mattersRouter } from './routes/matters/router';
import { pingsRouter } from './routes/pings/router';
import { proceduresRouter } from './routes/procedures/router';

export interface AppDeps {
  temporal: { client: Client; namespace: string; taskQueue: string };
  catalog: CatalogPort;
  logger: Logger;
  now?: () => Date;
  /** Built UI (dist/ui). Absent in API-only tests. */
  uiDir?: string;
  readiness?: () => Promise<Readiness>;
}

/** Builds the HTTP app without listening, so tests drive it in-process with supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );

  const readiness =
    deps.readiness ??
    (() =>
      checkReadiness({
        client: deps.temporal.client,
        namespace: deps.temporal.namespace,
        taskQueue: deps.temporal.taskQueue,
      }));
  app.use(healthRouter(readiness));

  const api = express.Router();
  api.use(express.json({ limit: '100kb' }));
  const { client, taskQueue } = deps.temporal;
  api.use('/pings', pingsRouter({ client, taskQueue }));
  api.use('/procedures', proceduresRouter(deps.catalog));
  api.use('/matters', mattersRouter({ client, taskQueue, catalog: deps.catalog, now: deps.now ?? (() => new Date()) }));
  api.use(notFoundHandler);
  app.use('/api', api);

  if (deps.uiDir) app.use(express.static(deps.uiDir, { index: 'index.html', maxAge: '1h' }));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
