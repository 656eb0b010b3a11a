#!/usr/bin/env bash
# Installs and starts what the integration tests need, and stops it again.
#   scripts/test-services.sh start   # idempotent; safe to run twice
#   scripts/test-services.sh stop
# Runs as root on Debian (CI and developer machines of this project). Each service has a file in
# scripts/services/ that defines <name>_start and <name>_stop; a service writes its address to
# target/test-services/<name>.env so that the tests (and people) can find it.
set -euo pipefail
cd "$(dirname "$0")/.."
export STATE="$PWD/target/test-services"
mkdir -p "$STATE"

# need_packages CMD:PACKAGE...: installs the Debian packages whose command is missing.
need_packages() {
  local missing=()
  for cmd_pkg in "$@"; do
    local cmd=${cmd_pkg%%:*} pkg=${cmd_pkg##*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  fi
}

services=()
for f in scripts/services/*.sh; do
  [ -e "$f" ] || continue
  # shellcheck source=/dev/null
  source "$f"
  services+=("$(basename "$f" .sh)")
done

start() {
  # git: the version catalogue's tests compare against the real git CLI.
  need_packages git:git
  git --version
  for s in "${services[@]}"; do
    "${s}_start"
  done
}

stop() {
  for s in "${services[@]}"; do
    "${s}_stop" || echo "stopping $s failed" >&2
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
