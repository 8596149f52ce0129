#!/usr/bin/env bash
# Estimates what the image's /app holds, without a Docker engine: replays the Dockerfile's npm
# steps (npm ci -> next build -> npm prune --omit=dev -> drop caches and tests) in a temporary copy
# of the committed tree, then measures /app. The base image (node:24-bookworm-slim) and the apt
# packages (tini, postgresql-client) are not included: add their published sizes (docs/operations.md).
#   scripts/measure-image-payload.sh [git-ref]      (default HEAD)
set -euo pipefail
ref="${1:-HEAD}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
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
