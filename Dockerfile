# syntax=docker/dockerfile:1
# One image for both processes; docker-compose.yml picks the command:
#   worker: node dist/worker/main.js      api: node dist/api/main.js (the default)

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: needs the devDependencies (TypeScript, esbuild, the workflow bundler's toolchain) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 (the matter projection) builds from source where no prebuilt binary can be fetched
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# a file: dependency (the project's bpmnlint rules): npm ci links it
COPY procedures/bpmnlint-plugin ./procedures/bpmnlint-plugin
RUN npm ci --no-audit --no-fund
COPY . .
# tsc, then dist/workflow-bundle.js (so workers never bundle at start-up) and dist/ui.
RUN npm run build
# production dependencies only, native modules already built: the runtime image needs no compiler
RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies and dist/ only ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY procedures/bpmnlint-plugin ./procedures/bpmnlint-plugin
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The BPMN files and policies are read at run time: the flowchart is the program.
COPY procedures ./procedures
RUN mkdir -p /app/data && chown node:node /app/data
# Files stay owned by root: the app reads them and writes nothing next to them.
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
