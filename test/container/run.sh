#!/usr/bin/env bash
# npm run test:container — the README's compose quick start in a real Docker engine, with every compose installed:
#   `docker compose up -d --build` (v2) and `docker-compose up -d --build` (v1, Debian bookworm's 1.29), run as
#   written in this folder with the real plugins/ mounted; then: the api turns healthy and the report is 200
#   healthy with its plugins check ok; each plugin's state in the report is what the image really has (runnable, or
#   blocked on what plugin-needs.mjs finds missing in it); stop postgres -> 503 unhealthy and the container
#   unhealthy; start it -> healthy; stop redis -> 200 degraded with checks.cache.status error and the container
#   stays healthy; docker stop the api -> exit 0 within its grace period. Prints the image size and its plugins.
# usage: test/container/run.sh [--plain]   (--plain also builds the image without scanners, WITH_SCANNERS=false,
#                                          and lists what it can run)
# Needs a running Docker engine with the base images (node:24-bookworm-slim, postgres:16, redis:7) and compose v2 or
# v1; it runs the plan once with each it finds (fetching v2 with compose-v2.sh where it is missing, as root) and
# fails when it finds neither. The environment only moves what would collide: a project name of its own
# (COMPOSE_PROJECT_NAME), the api on free loopback ports (API_PORT, MANAGEMENT_API_PORT), its own image tag
# (API_IMAGE) and COMPOSE_FILE=docker-compose.yml (so a COMPOSE_FILE in .env cannot publish PostgreSQL and Redis
# on the machine's own 5432 and 6379). Everything it starts is removed at
# the end, also on failure; the image tags stay, so the next build is cached.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/test/container"
IMAGE=secuscan-health:container-test
PLAIN_IMAGE=secuscan-health:container-test-plain
WORK=$(mktemp -d)
with_plain=false
[ "${1:-}" = --plain ] && with_plain=true
cd "$ROOT"

now_ms() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
test_start=$(now_ms)
step=0
ok() { step=$((step + 1)); echo "ok $step - $*"; }
fail() {
  echo "not ok $((step + 1)) - $*"
  exit 1
}

cleanup() {
  local code=$?
  if [ "$code" -ne 0 ] && [ -n "${api:-}" ]; then
    echo "--- last api logs"
    docker logs --tail 30 "$api" 2>&1 || true
  fi
  [ -n "${compose_cmd:-}" ] && compose down -v --remove-orphans --timeout 1 >/dev/null 2>&1
  [ -n "${standalone:-}" ] && docker rm -f "$standalone" >/dev/null 2>&1
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------- compose, v2 and v1 ---
# Where `docker compose` is missing (Debian bookworm's docker.io has no v2), compose-v2.sh brings Debian trixie's v2
# plugin into a folder of its own, which the v2 plan alone gets as DOCKER_CONFIG.
composes=()
v2_config=
if docker compose version >/dev/null 2>&1; then
  composes+=("docker compose")
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && v2_config=$(bash "$HERE/compose-v2.sh" 2>"$WORK/v2.log"); then
  composes+=("docker compose")
else
  echo "== no compose v2: 'docker compose' is not installed and compose-v2.sh could not fetch it: $(tail -1 "$WORK/v2.log" 2>/dev/null)"
fi
if command -v docker-compose >/dev/null && docker-compose version --short >/dev/null 2>&1; then
  composes+=("docker-compose")
else
  echo "== no compose v1: docker-compose is not installed"
fi
[ "${#composes[@]}" -gt 0 ] || fail "neither 'docker compose' (v2) nor docker-compose (v1) is installed"
engine_version=$(docker version --format '{{.Server.Version}}')
# N free loopback ports, all held open at once while they are picked, so no two are the same.
free_ports() {
  node -e '
    const net = require("net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer().listen(0, "127.0.0.1"));
    Promise.all(servers.map((s) => new Promise((ok) => s.on("listening", ok)))).then(() => {
      console.log(servers.map((s) => s.address().port).join(" "));
      servers.forEach((s) => s.close());
    });' "$1"
}
export COMPOSE_FILE=docker-compose.yml API_IMAGE=$IMAGE HEALTH_SHUTDOWN_DELAY_MS=5000

# Polls `$@` (a command) every 0.2 s until it succeeds; returns 1 after `limit` seconds.
wait_for() {
  local limit=$1 start
  shift
  start=$(now_ms)
  until "$@"; do
    [ $(($(now_ms) - start)) -lt $((limit * 1000)) ] || return 1
    sleep 0.2
  done
}
# The same, failing the plan with `what`.
wait_until() {
  local what=$1 limit=$2
  shift 2
  wait_for "$limit" "$@" || fail "$what: not within $limit s"
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

# Per plugin, what the image lacks (see plugin-needs.mjs), judged in the image with the real plugins/ folder.
needs_in() { docker run --rm --entrypoint node -v "$HERE:/probe:ro" -v "$ROOT/plugins:/app/plugins:ro" "$1" /probe/plugin-needs.mjs; }
plugins_of() {
  local needs
  needs=$(needs_in "$1")
  echo "   runnable in $1: $(awk '$2 == "runnable" { printf "%s ", $1 }' <<<"$needs")"
  echo "   blocked: $(awk '$2 == "missing" { $2 = ""; printf "%s(%s) ", $1, substr($0, length($1) + 3) }' <<<"$needs")"
}
# What the service reports per plugin, as `<id> runnable|blocked`, against what the image has, as the same lines.
states_reported() { node "$HERE/plugin-states.mjs" "http://127.0.0.1:$MANAGEMENT_API_PORT/api/v1/health/plugins" || true; }
states_match() {
  last_states=$(states_reported)
  [ "$last_states" = "$expected_states" ]
}

# ------------------------------------------------------------------------------------------------ the plan ---
plan() {  # plan COMPOSE_COMMAND: the quick start with one compose, then the faults
  compose_cmd=$1
  local version label start
  local fetched_v2=false
  if [ "$compose_cmd" = "docker compose" ] && [ -n "$v2_config" ]; then
    export DOCKER_CONFIG=$v2_config
    fetched_v2=true
  fi
  version=$($compose_cmd version --short)
  case "$version" in 1.*) label=v1 ;; *) label=v2 ;; esac
  export COMPOSE_PROJECT_NAME="secuscan-health-test-$$-$label"
  read -r API_PORT MANAGEMENT_API_PORT < <(free_ports 2)
  export API_PORT MANAGEMENT_API_PORT
  local origin=
  [ "$fetched_v2" = false ] || origin=", the plugin compose-v2.sh put in $v2_config"
  echo "== compose $label ($compose_cmd $version$origin), docker engine $engine_version"
  # The README's quick start command, as written there.
  grep -qF "$compose_cmd up -d --build" README.md || fail "the README's quick start does not say '$compose_cmd up -d --build'"
  start=$(now_ms)
  $compose_cmd up -d --build >"$WORK/up.log" 2>&1 || { tail -40 "$WORK/up.log"; fail "$compose_cmd up -d --build failed"; }
  # npm prints EBADENGINE for an unsupported Node and names every package whose install script ran or was skipped
  # unapproved; @scarf/scarf (under swagger-ui-dist) reports installs home from its postinstall.
  if grep -E 'EBADENGINE|scarf|install-scripts' "$WORK/up.log"; then fail "the image build warned about engines or ran install scripts"; fi
  ok "$label: $compose_cmd up -d --build builds the image and starts the services in $(seconds_since "$start") s; npm ci without EBADENGINE, no install script ran (no @scarf/scarf postinstall)"

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
  ok "$label: api turns healthy in docker inspect ${healthy_after} after it started"
  # Out of the box: healthy, with the plugins check ok because some shipped plugin can run in this image.
  wait_until "200 healthy with the plugins check ok" 15 report_matches '^200 healthy database=ok cache=ok plugins=ok [1-9][0-9]*/[0-9]+ '
  ok "$label: GET /api/v1/health answers $last_report"
  # Still true: each plugin the image cannot run is reported blocked. The package lists are read in the background,
  # so the states may take a moment to settle on what the image has.
  expected_states=$(needs_in "$IMAGE" | awk '{ print $1, ($2 == "runnable" ? "runnable" : "blocked") }')
  if ! wait_for 30 states_match; then
    diff <(echo "$expected_states") <(echo "$last_states") || true
    fail "$label: the plugin states the service reports (>) are not what the image has (<) within 30 s"
  fi
  local runnable blocked
  runnable=$(grep -c ' runnable$' <<<"$last_states" || true)
  blocked=$(awk '$2 == "blocked" { printf "%s ", $1 }' <<<"$last_states")
  ok "$label: GET /api/v1/health/plugins reports each plugin as the image has it: $runnable runnable; blocked: $blocked"

  compose stop postgres >/dev/null 2>&1
  wait_until "503 unhealthy with postgres stopped" 15 report_matches '^503 unhealthy database=error'
  ok "$label: postgres stopped: GET /api/v1/health answers $last_report"
  stopped_at=$(now_ms)
  wait_until "the api container turns unhealthy" 90 health_is "$api" unhealthy
  ok "$label: postgres stopped: the api container turns unhealthy ($(seconds_since "$stopped_at") s after the 503)"

  compose start postgres >/dev/null 2>&1
  started_at=$(now_ms)
  wait_until "the api container turns healthy again" 60 health_is "$api" healthy
  wait_until "a 200 healthy report after postgres started" 15 report_matches '^200 healthy '
  ok "$label: postgres started: healthy again after $(seconds_since "$started_at") s: $last_report"

  compose stop redis >/dev/null 2>&1
  wait_until "200 degraded with redis stopped" 15 report_matches '^200 degraded database=ok cache=error'
  ok "$label: redis stopped: GET /api/v1/health answers $last_report"
  # The container must stay healthy through checks that see the degraded service: wait for two that say so.
  degraded_checks() {
    [ "$(docker inspect --format '{{range .State.Health.Log}}{{.Output}}{{end}}' "$api" | grep -c '^degraded 200')" -ge 2 ]
  }
  wait_until "two container healthchecks that see the degraded service" 90 degraded_checks
  health_is "$api" healthy || fail "redis stopped: the api container is $(health "$api")"
  ok "$label: redis stopped: two healthchecks printed 'degraded 200' and the container stays healthy"

  grace=$(docker inspect --format '{{.Config.StopTimeout}}' "$api")
  stop_at=$(now_ms)
  docker stop "$api" >/dev/null
  took=$(seconds_since "$stop_at")
  code=$(docker inspect --format '{{.State.ExitCode}}' "$api")
  [ "$code" = 0 ] || fail "docker stop: the api exited $code after $took s (grace period ${grace} s)"
  awk -v t="$took" -v g="$grace" 'BEGIN { exit !(t < g) }' || fail "docker stop took $took s, grace period $grace s"
  ok "$label: docker stop api: exit code 0 after $took s (grace period ${grace:-?} s, shutdown delay ${HEALTH_SHUTDOWN_DELAY_MS} ms)"

  compose down -v --remove-orphans --timeout 1 >/dev/null 2>&1
  api=
  compose_cmd=
  [ "$fetched_v2" = false ] || unset DOCKER_CONFIG
}
compose() { $compose_cmd "$@"; }

for found in "${composes[@]}"; do plan "$found"; done

# ------------------------------------------------------------------------------------------- images, plugins ---
echo "== image size: $IMAGE $(size_mb "$IMAGE") (base node:24-bookworm-slim $(size_mb node:24-bookworm-slim))"
plugins_of "$IMAGE"
if [ "$with_plain" = true ]; then
  start=$(now_ms)
  docker build --build-arg WITH_SCANNERS=false -t "$PLAIN_IMAGE" . >"$WORK/build-plain.log" 2>&1 ||
    { tail -30 "$WORK/build-plain.log"; fail "docker build --build-arg WITH_SCANNERS=false failed"; }
  echo "== built $PLAIN_IMAGE in $(seconds_since "$start") s; image size $(size_mb "$PLAIN_IMAGE")"
  plugins_of "$PLAIN_IMAGE"
  # What the service itself reports in that image (no database here, so 503, but the plugins check is there). Run
  # alone, without MANAGEMENT_PORT, it serves everything on 3000.
  MANAGEMENT_API_PORT=$(free_ports 1)
  standalone=$(docker run -d -p "127.0.0.1:$MANAGEMENT_API_PORT:3000" "$PLAIN_IMAGE")
  wait_until "the plain image answers" 30 report_matches '^[0-9]+ '
  echo "   the service in $PLAIN_IMAGE reports: $last_report"
fi
echo "== container test passed in $(seconds_since "$test_start") s"
