#!/usr/bin/env bash
# Time from launching the built AppHost to its "Ready in" line (PostgreSQL healthy, calendar healthy, notes healthy),
# with a local PostgreSQL server in a new state folder:
#   cold      first start: initdb runs
#   warm      the same state folder again (3 runs)
#   dotnet run  warm, through `dotnet run --project NotesAspire.AppHost`, which first checks the build is up to date
# Usage: bench/AppHost.Startup/run.sh   (CONFIGURATION=Release to time a Release build)
set -euo pipefail
cd "$(dirname "$0")/../.."

configuration=${CONFIGURATION:-Debug}
dll=NotesAspire.AppHost/bin/$configuration/net10.0/NotesAspire.AppHost.dll
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

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
ports=(--notes-port "$(free_port)" --calendar-port "$(free_port)" --postgres-port "$(free_port)")

run() {
  local label=$1; shift
  local start end
  : >"$log"
  start=$(date +%s.%N)
  NO_COLOR=1 "$@" --state-dir "$state/state" --local-postgres "${ports[@]}" >>"$log" 2>&1 &
  apphost=$!
  until grep -q '^Ready in' "$log"; do
    if ! kill -0 "$apphost" 2>/dev/null; then echo "$label: the AppHost exited:"; cat "$log"; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  printf '%-11s %5.1f s to ready   (AppHost says: %s)\n' "$label" "$(awk "BEGIN { print $end - $start }")" "$(grep -m1 '^Ready in' "$log" | cut -d' ' -f3-4)"
  kill -TERM "$apphost"
  wait "$apphost" || true
  apphost=
}

run cold dotnet "$dll"
for i in 1 2 3; do run "warm $i" dotnet "$dll"; done
run "dotnet run" dotnet run --disable-build-servers --no-launch-profile -c "$configuration" --project NotesAspire.AppHost --
