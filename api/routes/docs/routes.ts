import path from 'node:path';
import express from 'express';
import { z } from 'zod';
import { defineRoute, openApiDocument, type RouteDef } from '../../route';

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>小微权力 API 文档 / API reference</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`;

// A file, not an inline script: the Content-Security-Policy allows scripts from this origin only.
const INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
};`;

/**
 * The OpenAPI 3.1 document, generated from the routes' own zod schemas, and a readable page of it
 * (Swagger UI served from node_modules: no CDN, the machines may be offline).
 */
export function docRoutes(routes: () => RouteDef[]): { routes: RouteDef[]; assets: express.Handler } {
  let document: object | undefined;
  const list: RouteDef[] = [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      tags: ['docs'],
      auth: 'public',
      responses: { 200: { description: 'OpenAPI 3.1', schema: z.object({ openapi: z.string() }).loose() } },
      handle: ({ res }) => {
        document ??= openApiDocument([...routes(), ...list], { title: '小微权力 · Village micro-power', version: '1' });
        res.json(document);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/docs',
      summary: 'Readable API reference (HTML) / 接口文档',
      tags: ['docs'],
      auth: 'public',
      responses: { 200: { description: 'HTML page', schema: z.string(), contentType: 'text/html' } },
      handle: ({ res }) => {
        res.type('html').send(PAGE);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/docs/init.js',
      summary: 'Script of the reference page',
      tags: ['docs'],
      auth: 'public',
      responses: { 200: { description: 'JavaScript', schema: z.string(), contentType: 'text/javascript' } },
      handle: ({ res }) => {
        res.type('text/javascript').send(INIT);
      },
    }),
  ];
  return { routes: list, assets: express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1d' }) };
}
