#!/usr/bin/env bash
# npm run test:container — the image and docker-compose.yml in a real Docker engine:
#   build the image; compose up; the api turns healthy; stop postgres -> 503 unhealthy and the container unhealthy;
#   start it -> healthy; stop redis -> 200 degraded with checks.cache.status error and the container stays healthy;
#   docker stop the api -> exit 0 within its grace period. Prints the image size and which plugins it can run.
# usage: test/container/run.sh [--scanners]   (--scanners also builds WITH_SCANNERS=true and lists its plugins)
# Needs a running Docker engine with the base images (node:24-bookworm-slim, postgres:16, redis:7). Publishes only
# the api, on a free loopback port, so it runs beside the machine's own PostgreSQL, Redis and port 3000. Everything
# it starts is removed at the end, also on failure; the image tags stay, so the next build is cached.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/test/container"
IMAGE=secuscan-health:container-test
SCANNERS_IMAGE=secuscan-health:container-test-scanners
PROJECT="secuscan-health-test-$$"
WORK=$(mktemp -d)
with_scanners=false
[ "${1:-}" = --scanners ] && with_scanners=true

now_ms() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
step=0
ok() { step=$((step + 1)); echo "ok $step - $*"; }
fail() {
  echo "not ok $((step + 1)) - $*"
  exit 1
}

# --------------------------------------------------------------------------------------------- compose, v1 or v2 ---
if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
  compose_version=$(docker compose version --short)
else
  command -v docker-compose >/dev/null || fail "neither 'docker compose' (v2) nor docker-compose (v1) is installed"
  compose_cmd=(docker-compose)
  compose_version=$(docker-compose version --short)
fi
engine_version=$(docker version --format '{{.Server.Version}}')
copy_flags=()
case "$compose_version" in 1.*) copy_flags+=(--drop-name) ;; esac
if [ "${engine_version%%.*}" -lt 25 ] || [ "${compose_version%%.*}" = 1 ]; then copy_flags+=(--no-start-interval); fi
# One plugin whose only need, node, every image has: the report is healthy exactly when PostgreSQL and Redis are.
mkdir -p "$WORK/plugins/node-only"
echo '{"id":"node-only","name":"Node only","version":"1.0.0","engine":{"type":"cli","binary":"node"}}' \
  >"$WORK/plugins/node-only/metadata.json"
chmod -R a+rX "$WORK"
node "$HERE/compose-copy.mjs" "$ROOT/docker-compose.yml" "$WORK/compose.yml" "${copy_flags[@]}" --plugins="$WORK/plugins"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
API_PORT=$(free_port)
MANAGEMENT_API_PORT=$(free_port)
export API_PORT MANAGEMENT_API_PORT API_IMAGE=$IMAGE HEALTH_SHUTDOWN_DELAY_MS=5000
compose() { "${compose_cmd[@]}" -p "$PROJECT" --project-directory "$ROOT" -f "$WORK/compose.yml" "$@"; }

cleanup() {
  local code=$?
  if [ "$code" -ne 0 ] && [ -n "${api:-}" ]; then
    echo "--- last api logs"
    docker logs --tail 30 "$api" 2>&1 || true
  fi
  compose down -v --remove-orphans --timeout 1 >/dev/null 2>&1 || true
  [ -n "${standalone:-}" ] && docker rm -f "$standalone" >/dev/null 2>&1
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Polls `$@` (a command) every 0.2 s until it succeeds; fails the plan with `what` after `limit` seconds.
wait_until() {
  local what=$1 limit=$2 start
  shift 2
  start=$(now_ms)
  until "$@"; do
    [ $(($(now_ms) - start)) -lt $((limit * 1000)) ] || fail "$what: not within $limit s"
    sleep 0.2
  done
}
health() { docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1"; }
health_is() { [ "$(health "$1")" = "$2" ]; }
# The management port: the main one shows status-only reports when MANAGEMENT_PORT is set.
report() { node "$HERE/report.mjs" "http://127.0.0.1:$MANAGEMENT_API_PORT/api/v1/health" || true; }
report_matches() {
  last_report=$(report)
  [[ $last_report =~ $1 ]]
}
size_mb() { docker image inspect --format '{{.Size}}' "$1" | awk '{ printf "%d MB", $1 / 1000000 }'; }

# Lists, per plugin, what the image lacks (see plugin-needs.mjs); prints the runnable ones.
plugins_of() {
  local needs
  needs=$(docker run --rm --entrypoint node -v "$HERE:/probe:ro" "$1" /probe/plugin-needs.mjs)
  echo "   runnable in $1: $(awk '$2 == "runnable" { printf "%s ", $1 }' <<<"$needs")"
  echo "   blocked: $(awk '$2 == "missing" { $2 = ""; printf "%s(%s) ", $1, substr($0, length($1) + 3) }' <<<"$needs")"
}

# ------------------------------------------------------------------------------------------------------ build ---
echo "== docker $engine_version, compose $compose_version; compose file adapted with: ${copy_flags[*]:-nothing}"
build() {  # build TAG LOG [ARGS...]
  local tag=$1 log=$2 start
  shift 2
  start=$(now_ms)
  docker build "$@" -t "$tag" "$ROOT" >"$log" 2>&1 || { tail -30 "$log"; fail "docker build $* failed"; }
  echo "== built $tag in $(seconds_since "$start") s"
}
build "$IMAGE" "$WORK/build.log"
# npm prints EBADENGINE for an unsupported Node and names every package whose install script ran or was skipped
# unapproved; @scarf/scarf (under swagger-ui-dist) reports installs home from its postinstall.
if grep -E 'EBADENGINE|scarf|install-scripts' "$WORK/build.log"; then fail "the image build warned about engines or ran install scripts"; fi
ok "image builds; npm ci without EBADENGINE, no install script ran (no @scarf/scarf postinstall)"

# ------------------------------------------------------------------------------------------------ the plan ---
up_at=$(now_ms)
compose up -d --no-build >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "compose up failed"; }
api=$(compose ps -q api)
postgres=$(compose ps -q postgres)
redis=$(compose ps -q redis)
[ -n "$api" ] && [ -n "$postgres" ] && [ -n "$redis" ] || fail "compose did not start api, postgres and redis"
wait_until "the api turns healthy" 60 health_is "$api" healthy
# From the container's start to the end of its first passing check, both as the engine recorded them; the checks
# that failed before it (the engine keeps the last five) say why when it took longer.
healthy_after=$(docker inspect "$api" | node -e '
  const [c] = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const log = c.State.Health.Log;
  const first = log.findIndex((entry) => entry.ExitCode === 0);
  const failed = log.slice(0, first).map((entry) => entry.Output.trim());
  const seconds = ((Date.parse(log[first].End) - Date.parse(c.State.StartedAt)) / 1000).toFixed(1);
  console.log(failed.length ? `${seconds} s (after failed checks: ${failed.join(", ")})` : `${seconds} s`);')
ok "api turns healthy in docker inspect ${healthy_after} after it started ($(seconds_since "$up_at") s after compose up, which waits for healthy postgres and redis): $(report)"

compose stop postgres >/dev/null 2>&1
wait_until "503 unhealthy with postgres stopped" 15 report_matches '^503 unhealthy database=error'
ok "postgres stopped: GET /api/v1/health answers $last_report"
stopped_at=$(now_ms)
wait_until "the api container turns unhealthy" 90 health_is "$api" unhealthy
ok "postgres stopped: the api container turns unhealthy ($(seconds_since "$stopped_at") s after the 503)"

compose start postgres >/dev/null 2>&1
started_at=$(now_ms)
wait_until "the api container turns healthy again" 60 health_is "$api" healthy
wait_until "a 200 healthy report after postgres started" 15 report_matches '^200 healthy '
ok "postgres started: healthy again after $(seconds_since "$started_at") s: $last_report"

compose stop redis >/dev/null 2>&1
wait_until "200 degraded with redis stopped" 15 report_matches '^200 degraded database=ok cache=error'
ok "redis stopped: GET /api/v1/health answers $last_report"
# The container must stay healthy through checks that see the degraded service: wait for two that say so.
degraded_checks() {
  [ "$(docker inspect --format '{{range .State.Health.Log}}{{.Output}}{{end}}' "$api" | grep -c '^degraded 200')" -ge 2 ]
}
wait_until "two container healthchecks that see the degraded service" 90 degraded_checks
health_is "$api" healthy || fail "redis stopped: the api container is $(health "$api")"
ok "redis stopped: two healthchecks printed 'degraded 200' and the container stays healthy"

grace=$(docker inspect --format '{{.Config.StopTimeout}}' "$api")
stop_at=$(now_ms)
docker stop "$api" >/dev/null
took=$(seconds_since "$stop_at")
code=$(docker inspect --format '{{.State.ExitCode}}' "$api")
[ "$code" = 0 ] || fail "docker stop: the api exited $code after $took s (grace period ${grace} s)"
awk -v t="$took" -v g="$grace" 'BEGIN { exit !(t < g) }' || fail "docker stop took $took s, grace period $grace s"
ok "docker stop api: exit code 0 after $took s (grace period ${grace:-?} s, shutdown delay ${HEALTH_SHUTDOWN_DELAY_MS} ms)"

# ------------------------------------------------------------------------------------------- images, plugins ---
echo "== image size: $IMAGE $(size_mb "$IMAGE") (base node:24-bookworm-slim $(size_mb node:24-bookworm-slim))"
plugins_of "$IMAGE"
if [ "$with_scanners" = true ]; then
  build "$SCANNERS_IMAGE" "$WORK/build-scanners.log" --build-arg WITH_SCANNERS=true
  echo "== image size: $SCANNERS_IMAGE $(size_mb "$SCANNERS_IMAGE")"
  plugins_of "$SCANNERS_IMAGE"
  # What the service itself reports in that image (no database here, so 503, but the plugins check is there). Run
  # alone, without MANAGEMENT_PORT, it serves everything on 3000: published where report() looks (the api is stopped).
  standalone=$(docker run -d -p "127.0.0.1:$MANAGEMENT_API_PORT:3000" "$SCANNERS_IMAGE")
  wait_until "the scanners image answers" 30 report_matches '^[0-9]+ '
  echo "   the service in $SCANNERS_IMAGE reports: $last_report"
fi
echo "== container test passed in $(seconds_since "$up_at") s after the build"
