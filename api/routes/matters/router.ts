import { Router } from 'express';
import { actOnMatter, getMatter, getMatterBpmn, startMatter, type MatterDeps } from './handlers';

export function mattersRouter(deps: MatterDeps): Router {
  const router = Router();
  router.post('/', startMatter(deps));
  router.get('/:id', getMatter(deps));
  router.get('/:id/bpmn', getMatterBpmn(deps));
  router.post('/:id/actions', actOnMatter(deps));
  return router;
}
