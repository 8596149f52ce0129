#!/usr/bin/env bash
# What the image's /app holds, without a Docker engine: replays the Dockerfile's npm steps
# (npm ci -> next build -> npm prune --omit=dev -> caches and tests removed) in a temporary copy of
# the committed tree, then measures /app. The base image (node:24-bookworm-slim) and the apt layer
# (tini, postgresql-client) are not included (docs/operations.md#image-size).
#
#   scripts/measure-image-payload.sh [--smoke] [git-ref]      (default HEAD)
#
# --smoke then starts the roles from that pruned tree the way the image does (through
# scripts/docker-entrypoint.sh, NODE_ENV=production, embedded database): api, a worker and the web
# app, checks /ready, /healthz, /api/status and the entrypoint's healthcheck for each, then stops
# them with SIGTERM. It proves the pruned dependencies are enough to run; not the base image.
set -euo pipefail
smoke=0
if [ "${1:-}" = --smoke ]; then
  smoke=1
  shift
fi
ref="${1:-HEAD}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
git -C "$root" archive "$ref" | tar -x -C "$work"
cd "$work"
# The build context, as .dockerignore leaves it.
rm -rf .git .github .ci .do docs e2e bench deploy render.yaml deploy-cloud.sh
export NEXT_TELEMETRY_DISABLED=1 npm_config_fund=false npm_config_audit=false
echo "node $(node --version), npm $(npm --version)"
npm ci --no-audit --no-fund >/dev/null
echo "after npm ci:            node_modules $(du -sh node_modules | cut -f1)"
NODE_ENV=production npm run build >/dev/null
echo "after next build:        apps/web/.next $(du -sh apps/web/.next | cut -f1)"
npm prune --omit=dev >/dev/null
rm -rf apps/web/.next/cache apps/server/src/test
find apps packages -name '*.test.ts' -delete
echo "after prune:             node_modules $(du -sh node_modules | cut -f1), apps/web/.next $(du -sh apps/web/.next | cut -f1)"
echo "/app in the image:       $(du -sh . | cut -f1) ($(du -sb . | cut -f1) bytes)"
echo "largest packages:"
du -s node_modules/* node_modules/@*/* 2>/dev/null | sort -rn | head -n 12 | awk '{ printf "  %6.1f MB  %s\n", $1 / 1024, $2 }'
if [ "$smoke" = 0 ]; then exit 0; fi

echo
echo "smoke test of the pruned tree (ports 13000-13002, embedded database on 15432)"
export NODE_ENV=production HOST=127.0.0.1 EMBEDDED_PG_PORT=15432 LOG_LEVEL=warn
JWT_SECRET="$(openssl rand -base64 48)"
ENCRYPTION_KEY="$(openssl rand -base64 48)"
export JWT_SECRET ENCRYPTION_KEY
entry="$work/scripts/docker-entrypoint.sh"
start() {
  local name=$1
  shift
  env MONA_HEALTH_FILE="$work/health-$name" "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
}
wait_url() {
  local url=$1
  for _ in $(seq 1 120); do
    if curl -fsS -m 5 "$url" >/dev/null 2>&1; then
      echo "ok: $url"
      return 0
    fi
    sleep 1
  done
  echo "FAILED: $url" >&2
  return 1
}
start api PORT=13001 bash "$entry" api
wait_url http://127.0.0.1:13001/ready || { cat "$work/api.log"; exit 1; }
start worker PORT=13002 WORKERS=analytics,media,notifications,streaming,maintenance bash "$entry" worker
start web PORT=13000 API_INTERNAL_URL=http://127.0.0.1:13001 bash "$entry" web
wait_url http://127.0.0.1:13002/ready || { cat "$work/worker.log"; exit 1; }
wait_url http://127.0.0.1:13000/healthz || { cat "$work/web.log"; exit 1; }
wait_url http://127.0.0.1:13000/api/status || { cat "$work/web.log"; exit 1; }
for name in api worker web; do
  MONA_HEALTH_FILE="$work/health-$name" bash "$entry" healthcheck && echo "healthcheck ok: $name ($(cat "$work/health-$name"))"
done
# The CLI connects to the API's embedded database while the API runs (as with npm start).
MONA_HEALTH_FILE="$work/health-cli" bash "$entry" migrate && echo "migrate role ok"
# Stop in the reverse order (the worker uses the API's embedded database), as a platform drains.
names=(api worker web)
for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
  kill -TERM "${pids[$i]}"
  if wait "${pids[$i]}"; then echo "stopped on SIGTERM, exit 0: ${names[$i]}"; else echo "stopped on SIGTERM, exit $?: ${names[$i]}"; fi
done
pids=()
