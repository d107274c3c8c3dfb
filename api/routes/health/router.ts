import { Router } from 'express';
import type { Readiness } from '../../readiness';

export function healthRouter(readiness: () => Promise<Readiness>): Router {
  const router = Router();
  // Liveness: the process is up and serving; says nothing about Temporal on purpose.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const result = await readiness();
    res.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ready' : 'not-ready', checks: result.checks });
  });
  return router;
}
