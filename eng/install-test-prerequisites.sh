#!/usr/bin/env bash
# Installs the system packages the tests use, when they are missing: Debian's chromium (the dashboard's browser tests,
# driven by Playwright; never a downloaded browser) and docker-compose (validates the published compose file).
# PostgreSQL's server binaries come with our machines; the package is named here too for a machine without them.
# Run by the test project's build, so that `dotnet test` alone sets up a fresh machine.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: the tests need these packages: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]})." >&2
  exit 0
fi

echo "Installing test prerequisites: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
