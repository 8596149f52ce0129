#!/usr/bin/env bash
# Entrypoint of the MONA x SPARK image: one image, the role is the first argument.
#
#   web                  the Next.js web app on PORT (platforms) or WEB_PORT (3000)
#   api                  the HTTP API on PORT (3001); migrates at start (advisory-locked)
#   worker               the job families of WORKERS; /health, /ready, /metrics on PORT (3002)
#   cli <command…>       the CLI: migrate, create-admin --email …, seed …
#   migrate              the same as `cli migrate` (pre-deploy step of every platform)
#   healthcheck          used by the image's HEALTHCHECK: asks this container's process if it lives
#
# Platforms differ on whether a service's start command replaces the image's ENTRYPOINT or its
# CMD, so the manifests give the full command (`/usr/bin/tini -- /app/scripts/docker-entrypoint.sh
# api`) and this script accepts both shapes: a leading tini invocation and its own path are skipped.
set -euo pipefail

APP_ROOT="${MONA_APP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
HEALTH_FILE="${MONA_HEALTH_FILE:-${TMPDIR:-/tmp}/mona-health}"

usage() {
  cat <<'USAGE'
Usage: docker-entrypoint.sh <role> [arguments]

Roles:
  web                  Next.js web app (PORT, else WEB_PORT, else 3000)
  api                  HTTP API (PORT, default 3001)
  worker               job workers for WORKERS (default: every family); health on PORT (default 3002)
  cli <command…>       CLI: migrate | create-admin --email <e> | seed [--force]
  migrate              apply the database migrations, then exit
  healthcheck          exit 0 when this container's process answers its health URL
USAGE
}

# Accept "<role> …", "<this script> <role> …" and "tini -- <this script> <role> …".
while [ "$#" -gt 0 ]; do
  case "$1" in
    /usr/bin/tini | tini)
      shift
      if [ "${1:-}" = "--" ]; then shift; fi
      ;;
    */docker-entrypoint.sh | docker-entrypoint.sh) shift ;;
    *) break ;;
  esac
done

role="${1:-web}"
if [ "$#" -gt 0 ]; then shift; fi

# Where the process listens, as a URL the health check can reach from inside the container.
local_url() {
  local port=$1 path=$2 host="${HOST:-0.0.0.0}"
  case "$host" in
    0.0.0.0 | :: | "") host=127.0.0.1 ;;
    *:*) host="[$host]" ;;
  esac
  printf 'http://%s:%s%s' "$host" "$port" "$path"
}

record_health() {
  # Best effort: a read-only /tmp must not stop the service itself.
  printf '%s\n' "$1" >"$HEALTH_FILE" 2>/dev/null || true
}

# DigitalOcean's managed PostgreSQL URL asks for TLS (sslmode=require, which node-postgres treats as
# verify-full): give it the cluster's CA when the platform provides it as DATABASE_CA_CERT.
prepare_database_tls() {
  if [ -n "${DATABASE_CA_CERT:-}" ] && [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" != *sslrootcert=* ]]; then
    local ca_file="${TMPDIR:-/tmp}/mona-database-ca.pem" separator='?'
    printf '%s\n' "$DATABASE_CA_CERT" >"$ca_file"
    if [[ "$DATABASE_URL" == *\?* ]]; then separator='&'; fi
    export DATABASE_URL="${DATABASE_URL}${separator}sslrootcert=${ca_file}"
  fi
}

server() {
  prepare_database_tls
  cd "$APP_ROOT"
  exec node --import tsx "apps/server/src/entrypoints/$1.ts" "${@:2}"
}

case "$role" in
  web)
    # Render gives the API's address as host:port (fromService hostport): make it a URL.
    if [ -z "${API_INTERNAL_URL:-}" ] && [ -n "${API_INTERNAL_HOSTPORT:-}" ]; then
      export API_INTERNAL_URL="http://${API_INTERNAL_HOSTPORT}"
    fi
    port="${PORT:-${WEB_PORT:-3000}}"
    export WEB_PORT="$port"
    record_health "$(local_url "$port" /healthz)"
    cd "$APP_ROOT/apps/web"
    exec node "$APP_ROOT/node_modules/next/dist/bin/next" start --port "$port" --hostname "${HOST:-0.0.0.0}"
    ;;
  api)
    record_health "$(local_url "${PORT:-3001}" /health)"
    server api "$@"
    ;;
  worker)
    record_health "$(local_url "${PORT:-3002}" /health)"
    server worker "$@"
    ;;
  cli)
    if [ "$#" -eq 0 ]; then
      usage >&2
      exit 64
    fi
    record_health none
    server cli "$@"
    ;;
  migrate)
    record_health none
    server cli migrate
    ;;
  healthcheck)
    if [ ! -r "$HEALTH_FILE" ]; then
      echo "healthcheck: no process has started in this container" >&2
      exit 1
    fi
    target="$(head -n 1 "$HEALTH_FILE")"
    if [ "$target" = "none" ]; then exit 0; fi
    exec node -e '
      const url = process.argv[1];
      fetch(url, { signal: AbortSignal.timeout(5000) }).then(
        (res) => { if (!res.ok) console.error(`healthcheck: ${url} answered ${res.status}`); process.exit(res.ok ? 0 : 1); },
        (err) => { console.error(`healthcheck: ${url}: ${err.message}`); process.exit(1); },
      );' "$target"
    ;;
  help | -h | --help)
    usage
    ;;
  *)
    echo "Unknown role: $role" >&2
    usage >&2
    exit 64
    ;;
esac
