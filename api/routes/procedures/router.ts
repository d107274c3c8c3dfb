import { Router } from 'express';
import type { CatalogPort } from '../../catalog-port';
import { getProcedure, getProcedureBpmn, listProcedures } from './handlers';

export function proceduresRouter(catalog: CatalogPort): Router {
  const router = Router();
  router.get('/', listProcedures(catalog));
  router.get('/:id', getProcedure(catalog));
  router.get('/:id/versions/:version/bpmn', getProcedureBpmn(catalog));
  return router;
}
