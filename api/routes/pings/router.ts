import { Router } from 'express';
import { getPing, startPing, type PingDeps } from './handlers';

export function pingsRouter(deps: PingDeps): Router {
  const router = Router();
  router.post('/', startPing(deps));
  router.get('/:id', getPing(deps));
  return router;
}
