#!/usr/bin/env bash
# Puts Prometheus's promtool (for `promtool check metrics` in the tests) at $PROMTOOL_HOME/promtool, taken from
# Debian's prometheus package without installing it: installing would pull ~35 packages and start services.
# Prints the path. No npm package ships promtool, and only npm and Debian are reachable from CI.
# The default home is the user's cache, so each user (root in CI, anyone running the tests) has a copy they can
# write; `npm run test:system` runs this first and the tests ask it for the path (test/support/promtool.ts).
set -euo pipefail
dir="${PROMTOOL_HOME:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/secuscan-health}"
if [ ! -x "$dir/promtool" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  chmod 755 "$work" # apt downloads as the unprivileged _apt user when it can write there
  (cd "$work" && { apt-get download -qq prometheus 2>/dev/null || { apt-get update -qq && apt-get download -qq prometheus; }; })
  dpkg-deb --fsys-tarfile "$work"/prometheus_*.deb | tar -x -C "$work" ./usr/bin/promtool
  mkdir -p "$dir"
  mv "$work/usr/bin/promtool" "$dir/promtool"
fi
echo "$dir/promtool"
