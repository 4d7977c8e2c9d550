#!/usr/bin/env bash
# Time from launching the built AppHost until the notes service answers /health on the port users call (8080): local
# PostgreSQL healthy, calendar healthy, notes healthy. A new state folder each time:
#   cold        first start: initdb runs
#   warm        the same state folder again (3 runs)
# Usage: bench/AppHost.Startup/run.sh   (CONFIGURATION=Release to time a Release build)
# Needs 8080, 9090 and the dashboard's 18888-18891 free: stop a running AppHost first.
set -euo pipefail
cd "$(dirname "$0")/../.."

configuration=${CONFIGURATION:-Debug}
echo "building ($configuration)…"
dotnet build NotesAspire.AppHost -c "$configuration" -v quiet -nologo --disable-build-servers >/dev/null

# Run as root, the AppHost runs PostgreSQL as another user, who must pass through the state folder.
state=$(mktemp -d /tmp/notesaspire-bench-XXXXXX)
chmod 711 "$state"
log=$state/apphost.log
apphost=
cleanup() {
  if [[ -n $apphost ]] && kill -0 "$apphost" 2>/dev/null; then kill -TERM "$apphost"; wait "$apphost" || true; fi
  rm -rf "$state"
}
trap cleanup EXIT

run() {
  local label=$1
  local start end
  : >"$log"
  start=$(date +%s.%N)
  NO_COLOR=1 dotnet run --no-build --no-restore -c "$configuration" --project NotesAspire.AppHost -- \
    NotesAspire:Postgres=local "NOTESASPIRE_STATE_DIR=$state/state" >>"$log" 2>&1 &
  apphost=$!
  until curl -fs -o /dev/null http://127.0.0.1:8080/health; do
    if ! kill -0 "$apphost" 2>/dev/null; then echo "$label: the AppHost exited:"; cat "$log"; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  printf '%-11s %5.1f s until notes is healthy on 8080\n' "$label" "$(awk "BEGIN { print $end - $start }")"
  kill -TERM "$apphost"
  wait "$apphost" || true
  apphost=
  # The services go with the AppHost; wait until 8080 is free again.
  while curl -fs -o /dev/null http://127.0.0.1:8080/alive; do sleep 0.1; done
}

run cold
for i in 1 2 3; do run "warm $i"; done
