#!/usr/bin/env bash
# Deploys MONA x SPARK to Railway (recommended), Render or DigitalOcean App Platform.
#
#   ./deploy-cloud.sh railway|render|digitalocean [--dry-run] [--skip-build]
#   ./deploy-cloud.sh railway|render|digitalocean --check      wait for readiness only (smoke test)
#   ./deploy-cloud.sh railway|render|digitalocean --rollback   roll back the last deploy of this machine
#
# A deploy: checks the prerequisites (the platform CLI, logged in, the required variables set and
# the secrets strong), builds the image locally when a Docker engine is there (the platform builds
# it again from the same Dockerfile), deploys the API first (its pre-deploy step applies the
# migrations), waits for its /ready, deploys the workers and the web app, waits until the web app,
# the API and every job family answer ready, and prints the URLs. When something fails after the
# first service was deployed, it rolls every deployed service back to the deployment it had before.
# --dry-run prints every command instead of running it; the secrets are still checked.
# Runbook: docs/operations.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

# Bounded waits (seconds = attempts x interval); tests shorten them.
READY_ATTEMPTS="${DEPLOY_READY_ATTEMPTS:-60}"
READY_INTERVAL="${DEPLOY_READY_INTERVAL:-5}"
STATUS_ATTEMPTS="${DEPLOY_STATUS_ATTEMPTS:-120}"
STATUS_INTERVAL="${DEPLOY_STATUS_INTERVAL:-10}"
STATE_DIR="${DEPLOY_STATE_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mona-deploy}"
# Platform APIs, for what their CLIs do not offer (rollback, reading Render's generated secrets).
RAILWAY_API_URL="${RAILWAY_API_URL:-https://backboard.railway.com/graphql/v2}"
RENDER_API_URL="${RENDER_API_URL:-https://api.render.com/v1}"
DIGITALOCEAN_API_URL="${DIGITALOCEAN_API_URL:-https://api.digitalocean.com}"

EX_USAGE=64
EX_UNAVAILABLE=69
EX_NOPERM=77
EX_CONFIG=78

# Deploy order: the API first (migrations), then the workers, then the web app.
SERVICES=(api worker worker-media web)

PLATFORM=""
ACTION=deploy
DRY_RUN=0
SKIP_BUILD=0
SECRET_VALUES=()
DEPLOYED=()
declare -A PREVIOUS=()
declare -A SERVICE_IDS=()

usage() {
  cat <<'USAGE'
Usage: ./deploy-cloud.sh <platform> [--dry-run] [--skip-build]
       ./deploy-cloud.sh <platform> --check | --rollback

Platforms:
  railway        Railway (recommended): config as code in deploy/railway/, PostgreSQL and Redis services
  render         Render: the render.yaml Blueprint
  digitalocean   DigitalOcean App Platform: the .do/app.yaml app spec

Options:
  --dry-run      print every command instead of running it (the secrets are still checked)
  --skip-build   do not build the image locally first (the platform builds it anyway)
  --check        only wait until the web app, the API and every job family are ready
  --rollback     roll back the services of the last deploy made from this machine or CI job

Required environment: JWT_SECRET and ENCRYPTION_KEY (railway, digitalocean; at least 32 bytes,
generated with `openssl rand -base64 48`), NEXT_PUBLIC_APP_URL and NEXT_PUBLIC_API_URL (the public
URLs), plus RENDER_API_KEY (render) or DIGITALOCEAN_ACCESS_TOKEN (digitalocean). See docs/operations.md.
USAGE
}

say() { printf '%s\n' "$*"; }
step() { printf '\n==> %s\n' "$*"; }
fail() {
  local code=$1
  shift
  printf 'deploy-cloud: %s\n' "$*" >&2
  exit "$code"
}

# Never print a secret: every value in SECRET_VALUES is masked in what is shown.
mask() {
  local text=$1 value
  for value in "${SECRET_VALUES[@]}"; do
    if [ -n "$value" ]; then text="${text//"$value"/***}"; fi
  done
  printf '%s' "$text"
}
# Commands are shown on stderr, like `set -x`, so that they never mix with captured output.
show() {
  local quoted
  quoted="$(printf '%q ' "$@")"
  printf '+ %s\n' "$(mask "${quoted% }")" >&2
}
# Runs a command (shown first); in a dry run only shows it.
run() {
  show "$@"
  if [ "$DRY_RUN" = 1 ]; then return 0; fi
  "$@"
}
# Runs a command for its output; in a dry run shows it and prints the placeholder instead.
capture() {
  local placeholder=$1
  shift
  if [ "$DRY_RUN" = 1 ]; then
    show "$@"
    printf '%s' "$placeholder"
    return 0
  fi
  "$@"
}

# Evaluates a JavaScript expression over the JSON read on stdin (`data`); prints the result.
json() {
  node -e '
    let input = "";
    process.stdin.on("data", (chunk) => (input += chunk)).on("end", () => {
      let data;
      try { data = JSON.parse(input); } catch { process.exit(3); }
      const find = (node, test, out = []) => {
        if (Array.isArray(node)) node.forEach((item) => find(item, test, out));
        else if (node && typeof node === "object") { if (test(node)) out.push(node); Object.values(node).forEach((v) => find(v, test, out)); }
        return out;
      };
      const result = new Function("data", "find", "return (" + process.argv[1] + ");")(data, find);
      if (result !== undefined && result !== null) process.stdout.write(String(result));
    });' "$1"
}

# ---------------------------------------------------------------------------------------------
# Prerequisites

PLACEHOLDER_WORDS=(your_ your- changeme change_me change-me placeholder example secret password replace dummy xxxx)

# A secret must be long, not a placeholder and not a repetition; its value is never printed.
check_secret_value() {
  local name=$1 value=$2 lower word bytes distinct
  if [ -z "$value" ]; then
    fail "$EX_CONFIG" "$name is not set. Generate one with: openssl rand -base64 48"
  fi
  lower="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')"
  for word in "${PLACEHOLDER_WORDS[@]}"; do
    if [[ "$lower" == *"$word"* ]]; then
      fail "$EX_CONFIG" "$name looks like a placeholder (it contains \"$word\"); refusing to deploy. Generate one with: openssl rand -base64 48"
    fi
  done
  bytes="$(printf '%s' "$value" | LC_ALL=C wc -c | tr -d ' ')"
  if [ "$bytes" -lt 32 ]; then
    fail "$EX_CONFIG" "$name is too weak: $bytes bytes, at least 32 are required. Generate one with: openssl rand -base64 48"
  fi
  distinct="$(printf '%s' "$value" | fold -w1 | sort -u | wc -l | tr -d ' ')"
  if [ "$distinct" -lt 12 ]; then
    fail "$EX_CONFIG" "$name is too weak: only $distinct different characters. Generate one with: openssl rand -base64 48"
  fi
}

check_secrets_from_env() {
  local required=$1 name
  for name in JWT_SECRET ENCRYPTION_KEY; do
    if [ -n "${!name:-}" ] || [ "$required" = 1 ]; then
      check_secret_value "$name" "${!name:-}"
      SECRET_VALUES+=("${!name}")
    fi
  done
  if [ -n "${JWT_SECRET:-}" ] && [ "${JWT_SECRET:-}" = "${ENCRYPTION_KEY:-}" ]; then
    fail "$EX_CONFIG" "JWT_SECRET and ENCRYPTION_KEY must be two different secrets"
  fi
}

check_url() {
  local name=$1 what=$2 value="${!1:-}"
  if [ -z "$value" ]; then
    fail "$EX_CONFIG" "$name is not set: the public URL of $what (for example https://…), as configured on the platform"
  fi
  case "$value" in
    https://?*) ;;
    http://localhost* | http://127.0.0.1* | "http://[::1]"*) ;;
    *) fail "$EX_CONFIG" "$name must be an https:// URL (got $value)" ;;
  esac
  printf -v "$name" '%s' "${value%/}"
}

require_env() {
  local name=$1 why=$2
  if [ -z "${!name:-}" ]; then fail "$EX_CONFIG" "$name is not set: $why"; fi
  SECRET_VALUES+=("${!name}")
}

require_cli() {
  local cli=$1 install=$2
  if command -v "$cli" >/dev/null 2>&1; then return 0; fi
  if [ "$DRY_RUN" = 1 ]; then
    say "warning: the $cli CLI is not installed ($install); a real deploy needs it"
    return 0
  fi
  fail "$EX_UNAVAILABLE" "the $cli CLI is not installed: $install"
}

require_login() {
  local hint=$1
  shift
  if [ "$DRY_RUN" = 1 ]; then
    show "$@"
    return 0
  fi
  if ! "$@" >/dev/null 2>&1; then fail "$EX_NOPERM" "not logged in: $hint"; fi
}

local_build() {
  step "Build the image"
  if [ "$SKIP_BUILD" = 1 ]; then
    say "skipped (--skip-build): the platform builds the Dockerfile"
    return 0
  fi
  local tag
  tag="mona-spark:$(git rev-parse --short HEAD 2>/dev/null || echo local)"
  if [ "$DRY_RUN" = 1 ]; then
    show docker build --pull -t "$tag" .
    return 0
  fi
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    run docker build --pull -t "$tag" .
  else
    say "no Docker engine here: skipping the local build check (the platform builds the Dockerfile)"
  fi
}

# ---------------------------------------------------------------------------------------------
# Readiness

PROBE_BODY=""
probe() {
  curl -sS -m 10 -o "$PROBE_BODY" -w '%{http_code}' "$1" 2>/dev/null || printf '000'
}

# Every job family reported by the API's /api/status has a live, ready worker.
families_ready() {
  [ "$(json '(() => { const s = (data.services || []).filter((x) => x.name !== "api"); return s.length > 0 && s.every((x) => x.ready); })()' <"$1")" = true ]
}

wait_for() {
  local label=$1 url=$2 check=${3:-} attempt code
  if [ "$DRY_RUN" = 1 ]; then
    say "+ wait for $label: GET $url answers 200 (up to $READY_ATTEMPTS attempts, ${READY_INTERVAL}s apart)"
    return 0
  fi
  for ((attempt = 1; attempt <= READY_ATTEMPTS; attempt++)); do
    code="$(probe "$url")"
    if [ "$code" = 200 ] && { [ -z "$check" ] || "$check" "$PROBE_BODY"; }; then
      say "ready: $label ($url)"
      return 0
    fi
    say "waiting for $label: $url answered $code (attempt $attempt/$READY_ATTEMPTS)"
    if [ "$attempt" -lt "$READY_ATTEMPTS" ]; then sleep "$READY_INTERVAL"; fi
  done
  printf 'deploy-cloud: %s is not ready after %s attempts (%s)\n' "$label" "$READY_ATTEMPTS" "$url" >&2
  return 1
}

wait_api_ready() {
  wait_for "api" "$NEXT_PUBLIC_API_URL/ready"
}

wait_all_ready() {
  wait_for "web" "$NEXT_PUBLIC_APP_URL/healthz" &&
    wait_for "api" "$NEXT_PUBLIC_API_URL/ready" &&
    wait_for "every job family (workers)" "$NEXT_PUBLIC_API_URL/api/status" families_ready
}

# ---------------------------------------------------------------------------------------------
# State of the last deploy (for --rollback from a later CI step)

state_file() { printf '%s/%s.env' "$STATE_DIR" "$PLATFORM"; }

save_state() {
  local rolled_back=${1:-0} service
  if [ "$DRY_RUN" = 1 ]; then return 0; fi
  mkdir -p "$STATE_DIR"
  {
    printf 'ROLLED_BACK=%s\n' "$rolled_back"
    printf 'DEPLOYED=%s\n' "${DEPLOYED[*]:-}"
    printf 'DO_APP_ID=%s\n' "${DO_APP_ID:-}"
    for service in "${!PREVIOUS[@]}"; do printf 'PREV_%s=%s\n' "${service//-/_}" "${PREVIOUS[$service]}"; done
    for service in "${!SERVICE_IDS[@]}"; do printf 'ID_%s=%s\n' "${service//-/_}" "${SERVICE_IDS[$service]}"; done
  } >"$(state_file)"
}

load_state() {
  local file key value service
  file="$(state_file)"
  if [ ! -r "$file" ]; then fail 1 "no deploy recorded in $file: nothing to roll back"; fi
  while IFS='=' read -r key value; do
    case "$key" in
      ROLLED_BACK) STATE_ROLLED_BACK=$value ;;
      DEPLOYED) read -r -a DEPLOYED <<<"$value" ;;
      DO_APP_ID) if [ -n "$value" ]; then DO_APP_ID=$value; fi ;;
      PREV_*)
        service="${key#PREV_}"
        PREVIOUS["${service//_/-}"]=$value
        ;;
      ID_*)
        service="${key#ID_}"
        SERVICE_IDS["${service//_/-}"]=$value
        ;;
    esac
  done <"$file"
}

# ---------------------------------------------------------------------------------------------
# Railway: one Railway service per role (web, api, worker, worker-media), each built from the
# Dockerfile with its config file deploy/railway/<service>.json; PostgreSQL and Redis are the
# database services "Postgres" and "Redis", referenced as ${{Postgres.DATABASE_URL}}.

railway_preflight() {
  require_cli railway "npm install -g @railway/cli"
  require_login "run \`railway login\` and \`railway link\`, or set RAILWAY_TOKEN (project token)" railway status
  if [ -z "${RAILWAY_TOKEN:-}" ] && [ -z "${RAILWAY_API_TOKEN:-}" ]; then
    say "note: without RAILWAY_TOKEN or RAILWAY_API_TOKEN an automatic rollback cannot call Railway's API; it will print the manual steps"
  fi
}

railway_set_variables() {
  local service args=() line
  step "Set the service variables (deploy/railway/variables.json and the secrets)"
  for service in "${SERVICES[@]}"; do
    args=()
    while IFS= read -r line || [ -n "$line" ]; do
      if [ -n "$line" ]; then args+=(--set "$line"); fi
    done < <(json "Object.entries(data[\"$service\"] || {}).map(([k, v]) => k + \"=\" + v).join(\"\\n\")" <deploy/railway/variables.json)
    if [ "$service" != web ]; then
      args+=(--set "JWT_SECRET=$JWT_SECRET" --set "ENCRYPTION_KEY=$ENCRYPTION_KEY")
    fi
    run railway variables --service "$service" --skip-deploys "${args[@]}"
  done
}

railway_latest() {
  local service=$1 expression=$2
  railway deployment list --service "$service" --json --limit 20 | json "$expression"
}

railway_record_previous() {
  local service list id
  step "Record the deployments now live (rollback targets)"
  for service in "${SERVICES[@]}"; do
    list="$(capture '[]' railway deployment list --service "$service" --json --limit 20)" ||
      fail 1 "could not list the deployments of the Railway service $service: create the services first (docs/operations.md#railway)"
    id="$(printf '%s' "$list" | json '(data.find((d) => d.status === "SUCCESS") || {}).id')"
    if [ "$DRY_RUN" = 1 ]; then id="<live deployment of $service>"; fi
    if [ -n "$id" ]; then
      PREVIOUS[$service]=$id
      say "$service: $id"
    else
      say "$service: no live deployment yet (first deploy)"
    fi
  done
}

railway_deploy_service() {
  local service=$1 attempt latest id status
  step "Deploy $service"
  DEPLOYED+=("$service")
  save_state
  run railway up --service "$service" --ci || return 1
  if [ "$DRY_RUN" = 1 ]; then
    say "+ poll \`railway deployment list --service $service --json\` until the new deployment is SUCCESS (healthcheck passed)"
    return 0
  fi
  for ((attempt = 1; attempt <= STATUS_ATTEMPTS; attempt++)); do
    latest="$(railway_latest "$service" '(data[0] ? data[0].id + " " + data[0].status : "")' || true)"
    id="${latest%% *}"
    status="${latest#* }"
    if [ -n "$id" ] && [ "$id" != "${PREVIOUS[$service]:-}" ]; then
      case "$status" in
        SUCCESS)
          say "$service: deployment $id is live"
          return 0
          ;;
        FAILED | CRASHED | REMOVED | SKIPPED)
          printf 'deploy-cloud: %s: deployment %s ended %s\n' "$service" "$id" "$status" >&2
          return 1
          ;;
      esac
    fi
    say "$service: ${status:-waiting} (attempt $attempt/$STATUS_ATTEMPTS)"
    if [ "$attempt" -lt "$STATUS_ATTEMPTS" ]; then sleep "$STATUS_INTERVAL"; fi
  done
  printf 'deploy-cloud: %s: no live deployment after %s polls\n' "$service" "$STATUS_ATTEMPTS" >&2
  return 1
}

railway_graphql_rollback() {
  local id=$1 auth body answer
  if [ -n "${RAILWAY_TOKEN:-}" ]; then
    auth="Project-Access-Token: $RAILWAY_TOKEN"
  else
    auth="Authorization: Bearer ${RAILWAY_API_TOKEN:-}"
  fi
  body="{\"query\":\"mutation(\$id: String!) { deploymentRollback(id: \$id) }\",\"variables\":{\"id\":\"$id\"}}"
  show curl -fsS -X POST "$RAILWAY_API_URL" -H "Content-Type: application/json" -H "$auth" --data "$body"
  if [ "$DRY_RUN" = 1 ]; then return 0; fi
  answer="$(curl -fsS -X POST "$RAILWAY_API_URL" -H "Content-Type: application/json" -H "$auth" --data "$body" |
    json '(data.errors ? "error: " + data.errors.map((e) => e.message).join("; ") : data.data && data.data.deploymentRollback === true ? "ok" : "unexpected answer")')" || answer="no answer from $RAILWAY_API_URL"
  if [ "$answer" != ok ]; then
    printf 'deploy-cloud: Railway rollback to %s: %s\n' "$id" "$answer" >&2
    return 1
  fi
}

railway_rollback_service() {
  local service=$1 target=${PREVIOUS[$1]:-}
  if [ -z "$target" ]; then
    say "$service: no previous deployment to return to (first deploy)"
    return 0
  fi
  if [ -z "${RAILWAY_TOKEN:-}" ] && [ -z "${RAILWAY_API_TOKEN:-}" ]; then
    say "$service: roll back by hand: Railway dashboard > $service > Deployments > deployment $target > Rollback"
    return 1
  fi
  say "$service: rolling back to deployment $target"
  railway_graphql_rollback "$target"
}

# ---------------------------------------------------------------------------------------------
# Render: the render.yaml Blueprint (services mona-web, mona-api, mona-worker, mona-worker-media;
# database mona-db; Key Value mona-kv). Deploys through the Render CLI, rollback and the generated
# secrets through Render's API (RENDER_API_KEY).

render_name() { printf 'mona-%s' "$1"; }

render_api() {
  local method=$1 path=$2
  shift 2
  curl -fsS -X "$method" "$RENDER_API_URL$path" -H "Authorization: Bearer $RENDER_API_KEY" -H "Accept: application/json" "$@"
}

render_preflight() {
  require_cli render "https://render.com/docs/cli (brew install render, or the install script)"
  require_env RENDER_API_KEY "an API key from Render's Account settings > API keys (the deploy reads the generated secrets and rolls back through the API)"
  require_login "set RENDER_API_KEY, or run \`render login\`" render whoami -o json
  step "Validate the Blueprint"
  # Its findings are printed: a failing validation stops the deploy with Render's own explanation.
  run render blueprints validate render.yaml -o json
  step "Find the services of the Blueprint"
  local services service id
  services="$(capture '[]' render services -o json)" || fail 1 "could not list the Render services (render services -o json)"
  for service in "${SERVICES[@]}"; do
    id="$(printf '%s' "$services" | json "(find(data, (n) => n.name === \"$(render_name "$service")\" && typeof n.id === \"string\")[0] || {}).id")"
    if [ -z "$id" ] && [ "$DRY_RUN" = 1 ]; then id="<id of $(render_name "$service")>"; fi
    if [ -z "$id" ]; then
      fail 1 "no Render service named $(render_name "$service"): create the Blueprint first (New > Blueprint, this repository)"
    fi
    SERVICE_IDS[$service]=$id
    say "$(render_name "$service"): $id"
  done
  render_check_generated_secrets
}

# JWT_SECRET and ENCRYPTION_KEY are generated by Render (envVarGroups mona-secrets): check the
# values the services will really run with.
render_check_generated_secrets() {
  step "Check the secrets Render holds (env group mona-secrets)"
  if [ "$DRY_RUN" = 1 ]; then
    show curl -fsS "$RENDER_API_URL/env-groups?name=mona-secrets"
    show curl -fsS "$RENDER_API_URL/env-groups/<id>"
    return 0
  fi
  local group_id group name value
  group_id="$(render_api GET "/env-groups?name=mona-secrets&limit=20" | json '(find(data, (n) => n.name === "mona-secrets" && typeof n.id === "string")[0] || {}).id')" ||
    fail 1 "could not list Render's environment groups"
  if [ -z "$group_id" ]; then fail 1 "no environment group mona-secrets on Render: sync the Blueprint first"; fi
  group="$(render_api GET "/env-groups/$group_id")" || fail 1 "could not read Render's environment group mona-secrets"
  for name in JWT_SECRET ENCRYPTION_KEY; do
    value="$(printf '%s' "$group" | json "((data.envVars || []).find((v) => v.key === \"$name\") || {}).value")"
    check_secret_value "$name (on Render)" "$value"
    SECRET_VALUES+=("$value")
  done
  say "JWT_SECRET and ENCRYPTION_KEY on Render are strong"
}

render_record_previous() {
  local service id
  step "Record the deploys now live (rollback targets)"
  for service in "${SERVICES[@]}"; do
    id="$(capture "<live deploy of $(render_name "$service")>" render deploys list "${SERVICE_IDS[$service]}" -o json | json '(find(data, (n) => n.status === "live" && typeof n.id === "string")[0] || {}).id' || true)"
    if [ "$DRY_RUN" = 1 ]; then id="<live deploy of $(render_name "$service")>"; fi
    if [ -n "$id" ]; then
      PREVIOUS[$service]=$id
      say "$(render_name "$service"): $id"
    else
      say "$(render_name "$service"): no live deploy yet (first deploy)"
    fi
  done
}

render_deploy_service() {
  local service=$1
  step "Deploy $(render_name "$service")$([ "$service" = api ] && printf ' (its preDeployCommand applies the migrations)')"
  DEPLOYED+=("$service")
  save_state
  run render deploys create "${SERVICE_IDS[$service]}" --wait --confirm -o json >/dev/null
}

render_rollback_service() {
  local service=$1 target=${PREVIOUS[$1]:-}
  if [ -z "$target" ]; then
    say "$(render_name "$service"): no previous deploy to return to (first deploy)"
    return 0
  fi
  say "$(render_name "$service"): rolling back to deploy $target"
  run curl -fsS -X POST "$RENDER_API_URL/services/${SERVICE_IDS[$service]}/rollback" \
    -H "Authorization: Bearer $RENDER_API_KEY" -H "Content-Type: application/json" --data "{\"deployId\":\"$target\"}" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# DigitalOcean App Platform: one app (.do/app.yaml) with the services web and api, the workers
# worker and worker-media, the PRE_DEPLOY job migrate, and the managed databases db (PostgreSQL)
# and cache (Valkey). App Platform deploys the whole app at once.

RENDERED_SPEC=""

do_repository() {
  local repo="${DO_GITHUB_REPO:-${GITHUB_REPOSITORY:-}}" remote
  if [ -z "$repo" ]; then
    remote="$(git remote get-url origin 2>/dev/null || true)"
    repo="$(printf '%s' "$remote" | sed -E -n 's#^(git@github\.com:|https://github\.com/)([^/]+/[^/.]+)(\.git)?$#\2#p')"
  fi
  if [ -z "$repo" ]; then
    fail "$EX_CONFIG" "DO_GITHUB_REPO is not set: the GitHub repository App Platform builds from (owner/name)"
  fi
  printf '%s' "$repo"
}

# The committed spec with its two template fields filled: the repository, and the secrets' values
# (passed through the environment, never on a command line). Readable by this user only.
do_render_spec() {
  local repo
  repo="$(do_repository)"
  mkdir -p "$STATE_DIR"
  RENDERED_SPEC="$STATE_DIR/app.$$.yaml"
  (umask 077 && MONA_REPO="$repo" node -e '
    const fs = require("node:fs");
    const [source, target] = process.argv.slice(1);
    const lines = fs.readFileSync(source, "utf8").replaceAll("__GITHUB_REPOSITORY__", process.env.MONA_REPO).split("\n");
    const out = [];
    const filled = new Set();
    for (const line of lines) {
      out.push(line);
      const m = /^(\s*)- key: (JWT_SECRET|ENCRYPTION_KEY)\s*$/.exec(line);
      if (m && !filled.has(m[2])) {
        out.push(`${m[1]}  value: ${JSON.stringify(process.env[m[2]])}`);
        filled.add(m[2]);
      }
    }
    if (filled.size !== 2) { console.error("the app spec must declare JWT_SECRET and ENCRYPTION_KEY"); process.exit(1); }
    fs.writeFileSync(target, out.join("\n"), { mode: 0o600 });
  ' .do/app.yaml "$RENDERED_SPEC")
  say "spec: .do/app.yaml for $repo (secrets filled in $RENDERED_SPEC, removed on exit)"
}

do_preflight() {
  require_cli doctl "https://docs.digitalocean.com/reference/doctl/how-to/install/"
  require_env DIGITALOCEAN_ACCESS_TOKEN "a personal access token with the app scopes (doctl reads it too)"
  require_login "set DIGITALOCEAN_ACCESS_TOKEN, or run \`doctl auth init\`" doctl account get
  step "Prepare and validate the app spec"
  do_render_spec
  run doctl apps spec validate "$RENDERED_SPEC" >/dev/null
}

do_record_previous() {
  local id
  step "Record the deployment now live (rollback target)"
  if [ -z "${DO_APP_ID:-}" ]; then
    say "DO_APP_ID is not set: the app will be created (first deploy, nothing to roll back to)"
    return 0
  fi
  id="$(capture "<active deployment of $DO_APP_ID>" doctl apps get "$DO_APP_ID" -o json | json '((Array.isArray(data) ? data[0] : data).active_deployment || {}).id' || true)"
  if [ "$DRY_RUN" = 1 ]; then id="<active deployment of $DO_APP_ID>"; fi
  if [ -n "$id" ]; then
    PREVIOUS[app]=$id
    say "app $DO_APP_ID: deployment $id"
  fi
}

do_deploy_app() {
  local created
  step "Deploy the app (the PRE_DEPLOY job \"migrate\" applies the migrations first)"
  DEPLOYED+=(app)
  save_state
  if [ -n "${DO_APP_ID:-}" ]; then
    run doctl apps update "$DO_APP_ID" --spec "$RENDERED_SPEC" --update-sources --wait -o json >/dev/null
  else
    created="$(capture '[{"id":"<new app id>"}]' doctl apps create --spec "$RENDERED_SPEC" --wait -o json)" || return 1
    DO_APP_ID="$(printf '%s' "$created" | json '(Array.isArray(data) ? data[0] : data).id')"
    say "app created: $DO_APP_ID. Set DO_APP_ID=$DO_APP_ID (repository variable or environment) for the next deploys."
    save_state
  fi
}

do_rollback_app() {
  local target=${PREVIOUS[app]:-}
  if [ -z "$target" ] || [ -z "${DO_APP_ID:-}" ]; then
    say "app: no previous deployment to return to (first deploy)"
    return 0
  fi
  say "app $DO_APP_ID: rolling back to deployment $target"
  run curl -fsS -X POST "$DIGITALOCEAN_API_URL/v2/apps/$DO_APP_ID/rollback" \
    -H "Authorization: Bearer $DIGITALOCEAN_ACCESS_TOKEN" -H "Content-Type: application/json" \
    --data "{\"deployment_id\":\"$target\",\"skip_pin\":true}" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Flow

rollback_deployed() {
  local service failed=0 ordered=()
  step "Roll back"
  if [ "${#DEPLOYED[@]}" -eq 0 ]; then
    say "nothing was deployed"
    return 0
  fi
  # The web app and the workers first, the API last.
  for service in web worker-media worker api app; do
    if [[ " ${DEPLOYED[*]} " == *" $service "* ]]; then ordered+=("$service"); fi
  done
  for service in "${ordered[@]}"; do
    case "$PLATFORM" in
      railway) railway_rollback_service "$service" || failed=1 ;;
      render) render_rollback_service "$service" || failed=1 ;;
      digitalocean) do_rollback_app || failed=1 ;;
    esac
  done
  if [ "$failed" = 1 ]; then
    printf 'deploy-cloud: the rollback did not complete: see the steps above and docs/operations.md#rollback\n' >&2
    return 1
  fi
  save_state 1
  say "rolled back: ${ordered[*]}"
}

deploy_failed() {
  printf 'deploy-cloud: %s\n' "$1" >&2
  if [ "$DRY_RUN" = 1 ]; then exit 1; fi
  if rollback_deployed; then
    printf 'deploy-cloud: deploy failed and was rolled back\n' >&2
    exit 1
  fi
  exit 2
}

preview_rollback() {
  local service
  step "If a step fails, the deployed services are rolled back with"
  case "$PLATFORM" in
    railway)
      for service in "${SERVICES[@]}"; do
        show curl -fsS -X POST "$RAILWAY_API_URL" --data "{\"query\":\"mutation(\$id: String!) { deploymentRollback(id: \$id) }\",\"variables\":{\"id\":\"${PREVIOUS[$service]:-<previous>}\"}}"
      done
      ;;
    render)
      for service in "${SERVICES[@]}"; do
        show curl -fsS -X POST "$RENDER_API_URL/services/${SERVICE_IDS[$service]}/rollback" --data "{\"deployId\":\"${PREVIOUS[$service]:-<previous>}\"}"
      done
      ;;
    digitalocean)
      show curl -fsS -X POST "$DIGITALOCEAN_API_URL/v2/apps/${DO_APP_ID:-<app id>}/rollback" --data "{\"deployment_id\":\"${PREVIOUS[app]:-<previous>}\",\"skip_pin\":true}"
      ;;
  esac
}

print_urls() {
  step "MONA x SPARK is live on $PLATFORM"
  say "web app:  $NEXT_PUBLIC_APP_URL"
  say "API:      $NEXT_PUBLIC_API_URL (docs: $NEXT_PUBLIC_API_URL/api/docs)"
  say "status:   $NEXT_PUBLIC_API_URL/api/status"
}

deploy() {
  step "Check the prerequisites ($PLATFORM$([ "$DRY_RUN" = 1 ] && printf ', dry run'))"
  command -v node >/dev/null 2>&1 || fail "$EX_UNAVAILABLE" "node is required (it reads the manifests)"
  command -v curl >/dev/null 2>&1 || fail "$EX_UNAVAILABLE" "curl is required (readiness checks)"
  # Render generates the secrets itself (Blueprint); elsewhere they come from this environment.
  check_secrets_from_env "$([ "$PLATFORM" = render ] && echo 0 || echo 1)"
  check_url NEXT_PUBLIC_APP_URL "the web app"
  check_url NEXT_PUBLIC_API_URL "the API"
  case "$PLATFORM" in
    railway) railway_preflight ;;
    render) render_preflight ;;
    digitalocean) do_preflight ;;
  esac
  say "prerequisites ok"

  case "$PLATFORM" in
    railway) railway_record_previous ;;
    render) render_record_previous ;;
    digitalocean) do_record_previous ;;
  esac
  save_state
  local_build

  case "$PLATFORM" in
    railway)
      railway_set_variables
      railway_deploy_service api || deploy_failed "the API did not deploy"
      step "Wait for the API"
      wait_api_ready || deploy_failed "the API is not ready"
      for service in worker worker-media web; do
        railway_deploy_service "$service" || deploy_failed "$service did not deploy"
      done
      ;;
    render)
      render_deploy_service api || deploy_failed "the API did not deploy (or its migrations failed)"
      step "Wait for the API"
      wait_api_ready || deploy_failed "the API is not ready"
      for service in worker worker-media web; do
        render_deploy_service "$service" || deploy_failed "$(render_name "$service") did not deploy"
      done
      ;;
    digitalocean)
      do_deploy_app || deploy_failed "the app did not deploy (or its migrations failed)"
      ;;
  esac

  step "Wait until everything is ready"
  wait_all_ready || deploy_failed "the deployment is not ready"
  if [ "$DRY_RUN" = 1 ]; then preview_rollback; fi
  print_urls
}

cleanup() {
  if [ -n "$RENDERED_SPEC" ]; then rm -f "$RENDERED_SPEC"; fi
  if [ -n "$PROBE_BODY" ]; then rm -f "$PROBE_BODY"; fi
}

main() {
  local arg name
  # Tokens and secrets from the environment are masked wherever a command is shown.
  for name in JWT_SECRET ENCRYPTION_KEY RAILWAY_TOKEN RAILWAY_API_TOKEN RENDER_API_KEY DIGITALOCEAN_ACCESS_TOKEN; do
    if [ -n "${!name:-}" ]; then SECRET_VALUES+=("${!name}"); fi
  done
  for arg in "$@"; do
    case "$arg" in
      railway | render | digitalocean) PLATFORM=$arg ;;
      --dry-run) DRY_RUN=1 ;;
      --skip-build) SKIP_BUILD=1 ;;
      --check) ACTION=check ;;
      --rollback) ACTION=rollback ;;
      -h | --help)
        usage
        exit 0
        ;;
      *)
        usage >&2
        fail "$EX_USAGE" "unknown argument: $arg"
        ;;
    esac
  done
  if [ -z "$PLATFORM" ]; then
    usage
    # README-CLOUD's `./deploy-cloud.sh` with no argument: offer the recommended platform.
    if [ -t 0 ] && [ -t 1 ]; then
      local answer=""
      read -r -p "Deploy to Railway, the recommended platform? [y/N] " answer || true
      case "$answer" in
        y | Y | yes | oui | o) PLATFORM=railway ;;
        *) exit "$EX_USAGE" ;;
      esac
    else
      exit "$EX_USAGE"
    fi
  fi
  PROBE_BODY="$(mktemp)"
  trap cleanup EXIT

  case "$ACTION" in
    deploy) deploy ;;
    check)
      check_url NEXT_PUBLIC_APP_URL "the web app"
      check_url NEXT_PUBLIC_API_URL "the API"
      step "Wait until everything is ready"
      wait_all_ready || exit 1
      print_urls
      ;;
    rollback)
      STATE_ROLLED_BACK=0
      load_state
      if [ "$STATE_ROLLED_BACK" = 1 ]; then
        say "the last deploy was already rolled back"
        exit 0
      fi
      case "$PLATFORM" in
        render) require_env RENDER_API_KEY "needed to roll back through Render's API" ;;
        digitalocean) require_env DIGITALOCEAN_ACCESS_TOKEN "needed to roll back through DigitalOcean's API" ;;
      esac
      rollback_deployed || exit 2
      ;;
  esac
}

main "$@"
