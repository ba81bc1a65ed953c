#!/usr/bin/env bash
# What the tests need before jest, after the Node check (package.json's pretest and pretest:system): with `--tools`
# (the system tests), the programs they run; then a build unless dist/ is newer than everything it is built from. A
# tool that cannot be had is named in one line, and the tests that need it fail saying why; the others still run.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --tools ]; then
  # promtool judges the metrics: fetched from Debian into the user's cache when missing (.ci/run does the same).
  if [ -z "${PROMTOOL:-}" ] && ! .ci/fetch-promtool.sh >/dev/null; then
    echo "npm run test:system: promtool could not be fetched (above), so the metrics tests will fail; set PROMTOOL to a promtool" >&2
  fi
  [ -x /usr/bin/chromium ] ||
    echo "npm run test:system: the browser tests need Chromium at /usr/bin/chromium, which is missing: apt-get install chromium" >&2
fi

# `npm run build` is incremental, yet even a no-op costs tsc's start; dist/.tsbuildinfo is the build's stamp.
if [ -f dist/.tsbuildinfo ] &&
  [ -z "$(find src package.json package-lock.json tsconfig.json tsconfig.build.json -newer dist/.tsbuildinfo -print -quit)" ]; then
  exit 0
fi
exec npm run build
