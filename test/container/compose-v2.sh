#!/usr/bin/env bash
# Compose v2 for a machine whose Debian (bookworm) packages only v1: takes Debian trixie's docker-compose package
# (v2; it needs only libc6) with apt-get download and a package list of its own, so the machine's apt sources and
# installed packages stay as they are, and unpacks its docker CLI plugin into DIR/cli-plugins. Then
# `DOCKER_CONFIG=DIR docker compose` is v2 for that command alone. Prints DIR; does nothing when it is there already.
# usage: test/container/compose-v2.sh [DIR]   (default /tmp/secuscan-compose-v2; needs root for apt-get)
set -euo pipefail
dir=${1:-/tmp/secuscan-compose-v2}
[ -x "$dir/cli-plugins/docker-compose" ] && { echo "$dir"; exit 0; }
apt=$(mktemp -d)
trap 'rm -rf "$apt"' EXIT
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dir/cli-plugins"
echo 'deb http://deb.debian.org/debian trixie main' >"$apt/sources.list"
opts=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o Dir::Etc::sourceparts=/nonexistent
  -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o APT::Sandbox::User=root)
apt-get "${opts[@]}" update -qq >&2
(cd "$apt" && apt-get "${opts[@]}" download -qq docker-compose >&2)
dpkg-deb -x "$apt"/docker-compose_*.deb "$apt/root"
case "$(DOCKER_CONFIG=$dir "$apt/root/usr/libexec/docker/cli-plugins/docker-compose" version --short)" in
  1.*) echo "trixie's docker-compose is not v2" >&2; exit 1 ;;
esac
cp "$apt/root/usr/libexec/docker/cli-plugins/docker-compose" "$dir/cli-plugins/docker-compose"
echo "$dir"
