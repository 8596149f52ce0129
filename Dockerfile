# syntax=docker/dockerfile:1
#
# One image for every role of MONA x SPARK: the Next.js web app, the API, the
# workers (WORKERS chooses the job families) and the CLI (migrations, admin).
# The role is the first argument: see scripts/docker-entrypoint.sh.
#
#   docker build -t mona-spark .
#   docker run --rm -p 3001:3001 -e NODE_ENV=production -e JWT_SECRET=... -e ENCRYPTION_KEY=... \
#     -e DATABASE_URL=postgres://... -e REDIS_URL=redis://... mona-spark api
#
# Stages: deps (npm ci) -> build (next build) -> prune (dev dependencies out)
# -> runtime (Node LTS on Debian slim, non-root, tini as PID 1).

ARG NODE_VERSION=24
# pg_dump / pg_restore must be at least the server's major version (backups).
ARG PG_CLIENT_MAJOR=17

FROM node:${NODE_VERSION}-bookworm-slim AS base
ENV NEXT_TELEMETRY_DISABLED=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app

# Dependencies first, from the manifests only, so source edits reuse this layer.
FROM base AS deps
COPY package.json package-lock.json .npmrc ./
COPY packages/shared/package.json packages/shared/
COPY packages/sdk/package.json packages/sdk/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
RUN npm ci

FROM deps AS build
COPY . .
# The web app is built once; it reads API_INTERNAL_URL at run time, so one build serves every deployment.
RUN NODE_ENV=production npm run build

# Development dependencies out (typescript, eslint, drizzle-kit, ...); tsx stays: it runs the server.
FROM build AS prune
RUN npm prune --omit=dev \
 && rm -rf apps/web/.next/cache \
 && find apps packages -name '*.test.ts' -delete \
 && rm -rf apps/server/src/test

FROM base AS runtime
ARG PG_CLIENT_MAJOR
# tini: PID 1 that forwards SIGTERM and reaps zombies. postgresql-client from the PostgreSQL
# project's Debian repository (apt.postgresql.org), so pg_dump matches current servers. The
# repository script reads HOST as the repository's host name: never let the app's HOST reach it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini postgresql-common \
 && env -u HOST /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends "postgresql-client-${PG_CLIENT_MAJOR}" \
 && apt-get purge -y --auto-remove postgresql-common \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    TINI_SUBREAPER=1 \
    MONA_HEALTH_FILE=/tmp/mona-health
COPY --from=prune --chown=node:node /app /app
# DATA_DIR default (embedded database when no DATABASE_URL is given), writable by the app user.
RUN mkdir -p /app/.data && chown node:node /app/.data && chmod 0755 /app/scripts/docker-entrypoint.sh
# The image's own non-root user (uid 1000).
USER node
EXPOSE 3000 3001 3002
# Works for every role: the entrypoint records which URL its process answers on (/healthz for
# web, /health for api and worker); cli and migrate are one-off and report healthy.
HEALTHCHECK --interval=30s --timeout=6s --start-period=60s --retries=3 \
  CMD ["/app/scripts/docker-entrypoint.sh", "healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "/app/scripts/docker-entrypoint.sh"]
CMD ["web"]
