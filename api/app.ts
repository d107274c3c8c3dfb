import type { Client } from '@temporalio/client';
import { parseConfig, type TrustProxy } from '../common/config';
import type { AttachmentStorePort } from '../common/attachments';
import { disclosedFiles } from '../common/disclosed-files';
import { redactMatterView } from '../common/redact';
import type { NoticeStorePort } from '../common/monthly-notice';
import type { OpinionDeadlines } from '../common/opinion';
import type { ObjectionAnswerDeadlines } from '../common/objection-deadlines';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { LoginLimits } from './auth/login-limits';
import { authenticate } from './auth/middleware';
import { memoryRevocations, type RevocationPort } from './auth/revocation';
import { limitJsonDepth } from './body';
import type { SessionConfig } from './auth/session';
import type { CatalogPort } from './catalog-port';
import type { DirectoryPort } from '../common/directory';
import { temporalDeadline } from './deadline';
import { errorHandler, notFoundHandler } from './errors';
import { createReadModel, type MatterProjection } from '../stores/read-model';
import { cachedReadiness, checkReadiness, type Readiness } from './readiness';
import { replicaShare } from './replica-share';
import { mountRoutes, type RouteDef } from './route';
import { attachmentRoutes } from './routes/attachments/routes';
import { noSourceMaps, noStore, sameOriginWrites } from './security';
import { authRoutes } from './routes/auth/routes';
import { docRoutes } from './routes/docs/routes';
import { healthRouter } from './routes/health/router';
import { recordRoutes } from './routes/matters/record-routes';
import { matterRoutes } from './routes/matters/routes';
import { meRoutes } from './routes/me/routes';
import { noticeRoutes } from './routes/notices/routes';
import { DEFAULT_OPINION_LIMITS, opinionRoutes, type OpinionLimits } from './routes/opinions/routes';
import { PINGS_PER_MINUTE, pingRoutes } from './routes/pings/routes';
import { procedureVersionRoutes } from './routes/procedure-versions/routes';
import { procedureRoutes } from './routes/procedures/routes';
import { reportRoutes } from './routes/reports/routes';
import { villageRoutes } from './routes/villages/routes';

export interface AppDeps {
  temporal: { client: Client; namespace: string; taskQueue: string };
  catalog: CatalogPort;
  directory: DirectoryPort;
  session: SessionConfig;
  logger: Logger;
  now?: () => Date;
  /** Built UI (dist/ui). Absent in API-only tests. */
  uiDir?: string;
  readiness?: () => Promise<Readiness>;
  /** how /readyz asks Temporal (default: READINESS_TIMEOUT_MS, READINESS_CACHE_MS) */
  readinessTiming?: { timeoutMs: number; cacheMs: number };
  /** sessions ended by logging out; default in memory (one process); main.ts keeps them under DATA_DIR */
  revocations?: RevocationPort;
  /** express's `trust proxy` (TRUST_PROXY): which hops' X-Forwarded-* to believe; default none */
  trustProxy?: TrustProxy;
  /** every call of a request to Temporal ends by then (default: TEMPORAL_CALL_TIMEOUT_MS) */
  temporalDeadlineMs?: number;
  /** 三务公开: where the monthly notices are kept (stores/notices.ts); absent → 503 */
  notices?: NoticeStorePort;
  /** 民意直通车: the time limits in force on a day (policy file); absent → submissions answer 503 */
  opinionDeadlines?: (date: string, town?: string) => OpinionDeadlines;
  /** 实施条例 Art. 54: objection answer times in force on a day (policy file); absent → objections have none */
  objectionDeadlines?: (date: string, town?: string) => ObjectionAnswerDeadlines;
  /** rate and size limits of opinion submissions (defaults in routes/opinions/routes.ts) */
  opinionLimits?: Partial<OpinionLimits>;
  /** API processes behind one round-robin balancer (API_REPLICAS): each enforces its share of every rate limit */
  replicas?: number;
  /** the matter rows every list reads, written by the matters themselves (stores/read-model/projection.ts) */
  projection: MatterProjection;
  /** minutes, invoices, photos (stores/attachments.ts); absent → uploads answer 503 */
  attachments?: AttachmentStorePort;
}

/** What an app built without a configuration uses: the documented defaults of common/config.ts. */
const DEFAULTS = parseConfig({});

/** Every route of /api, declared once: mounted from this list and documented from it. */
export function apiRoutes(deps: AppDeps): RouteDef[] {
  const now = deps.now ?? (() => new Date());
  const { client, taskQueue } = deps.temporal;
  const { directory } = deps;
  const readModel = createReadModel(client, deps.projection);
  const share = (limit: number) => replicaShare(limit, deps.replicas);
  const opinionLimits = { ...DEFAULT_OPINION_LIMITS, ...deps.opinionLimits };
  return [
    ...authRoutes({
      directory,
      session: deps.session,
      now,
      revocations: deps.revocations ?? memoryRevocations(),
      limits: new LoginLimits({
        freeFailures: share(deps.session.loginAttempts),
        windowMs: deps.session.loginWindowMs,
        maxWaitMs: deps.session.loginMaxWaitMs ?? DEFAULTS.session.loginMaxWaitSeconds * 1000,
        addressFailures: share(deps.session.loginAddressFailures ?? DEFAULTS.session.loginAddressFailures),
      }),
    }),
    ...meRoutes({ readModel, directory, now }),
    ...villageRoutes(directory),
    ...procedureRoutes(deps.catalog),
    ...procedureVersionRoutes(deps.catalog),
    ...matterRoutes({
      client,
      readModel,
      taskQueue,
      catalog: deps.catalog,
      directory,
      now,
      keySecret: deps.session.secret,
      ...(deps.objectionDeadlines ? { objectionDeadlines: deps.objectionDeadlines } : {}),
    }),
    ...recordRoutes({ readModel, catalog: deps.catalog, directory, now }),
    ...pingRoutes({ client, taskQueue, perMinute: share(PINGS_PER_MINUTE) }),
    ...opinionRoutes({
      client,
      readModel,
      taskQueue,
      directory,
      now,
      keySecret: deps.session.secret,
      ...(deps.opinionDeadlines ? { deadlines: deps.opinionDeadlines } : {}),
      limits: { ...opinionLimits, submissions: share(opinionLimits.submissions) },
    }),
    ...noticeRoutes({ readModel, directory, now, ...(deps.notices ? { notices: deps.notices } : {}) }),
    ...reportRoutes({ readModel, directory, now }),
    ...attachmentRoutes({
      directory,
      now,
      ...(deps.attachments ? { store: deps.attachments } : {}),
      disclosedFiles: async (matterId) => {
        const view = await readModel.view(matterId);
        const pinned = view && (await deps.catalog.get(view.procedure.id, view.procedure.version));
        return view && pinned ? disclosedFiles(redactMatterView(view, pinned.graph), pinned.graph) : new Set();
      },
    }),
  ];
}

/** Builds the HTTP app without listening, so tests drive it in-process with supertest. */
export function createApp(appDeps: AppDeps): Express {
  const deps = { ...appDeps, revocations: appDeps.revocations ?? memoryRevocations() };
  const app = express();
  app.disable('x-powered-by');
  // Behind a balancer the client's address is in X-Forwarded-For: trusted only as TRUST_PROXY says.
  app.set('trust proxy', deps.trustProxy ?? DEFAULTS.trustProxy);
  app.use(
    helmet({
      // Village offices often serve the pages over plain http on their LAN (http://192.168.x.y:3000):
      // helmet's default `upgrade-insecure-requests` would send the browser to https for app.js and
      // leave a blank page. HTTPS deployments still get HSTS and everything else helmet sets.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // Tokens and cookies never reach the logs.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    }),
  );

  const readiness =
    deps.readiness ??
    cachedReadiness(
      () =>
        checkReadiness({
          client: deps.temporal.client,
          namespace: deps.temporal.namespace,
          taskQueue: deps.temporal.taskQueue,
          timeoutMs: (deps.readinessTiming ?? DEFAULTS.readiness).timeoutMs,
        }),
      (deps.readinessTiming ?? DEFAULTS.readiness).cacheMs,
    );
  app.use(healthRouter(readiness));

  const routes = apiRoutes(deps);
  const docs = docRoutes(() => routes);
  const api = express.Router();
  api.use(noStore);
  api.use(sameOriginWrites);
  api.use(express.json({ limit: '100kb', verify: limitJsonDepth() }));
  api.use(cookieParser());
  api.use(authenticate({ secret: deps.session.secret, directory: deps.directory, revocations: deps.revocations }));
  api.use(temporalDeadline(deps.temporal.client, deps.temporalDeadlineMs ?? DEFAULTS.temporal.callTimeoutMs));
  api.use('/docs/assets', docs.assets);
  api.use(mountRoutes([...routes, ...docs.routes]));
  api.use(notFoundHandler);
  app.use('/api', api);

  app.use(noSourceMaps);
  if (deps.uiDir) app.use(express.static(deps.uiDir, { index: 'index.html', maxAge: '1h' }));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
