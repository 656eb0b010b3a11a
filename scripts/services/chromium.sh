# shellcheck shell=bash
# Chromium (Debian's package) for the HTML incident report test (rollback-core ReportChromiumIT):
# the test starts `chromium --headless ... --screenshot` itself, so there is nothing to start or stop.
# Sourced by scripts/test-services.sh, which defines need_packages.

chromium_start() {
  need_packages chromium:chromium
  chromium --version 2>/dev/null || echo "chromium is installed, but --version failed" >&2
}

chromium_stop() {
  :
}
