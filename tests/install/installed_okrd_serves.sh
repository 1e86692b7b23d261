#!/usr/bin/env bash
# Starts the okrd installed under ROOT/usr from another folder with no --plugin-dir, as a
# service would start it, and checks that it loaded the three shipped plugins from
# ROOT/usr/lib/okr/plugins and that okrctl version answers for both sides.
#   installed_okrd_serves.sh ROOT [okrd flags...]
# Used by installed_layout_test.sh (cmake --install) and scripts/check-package (the .deb).
set -euo pipefail
root=$1
shift
data=$(mktemp -d /tmp/okr-served.XXXXXX)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT
cd "$data"
"$root/usr/bin/okrd" --listen 127.0.0.1:0 --data-dir "$data/db" --time-zone UTC "$@" \
  >"$data/okrd.log" 2>&1 &
pid=$!
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's/.* server\.started .* port=\([0-9]*\) .*/\1/p' "$data/okrd.log")
  [ -n "$port" ] && [ -s "$data/db/admin.token" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then echo "FAIL: okrd did not start:" >&2; cat "$data/okrd.log" >&2; exit 1; fi
ctl=("$root/usr/bin/okrctl" --server "127.0.0.1:$port" --token "$(cat "$data/db/admin.token")")
plugins=$("${ctl[@]}" -o json plugin list | grep -o '"name": "[a-z_]*"' | sort | tr '\n' ' ')
expected='"name": "recognition" "name": "threshold_redline" "name": "tiered_bonus" '
if [ "$plugins" != "$expected" ]; then
  echo "FAIL: plugins of the installed okrd: '$plugins', expected '$expected'" >&2
  cat "$data/okrd.log" >&2
  exit 1
fi
grep -q " plugin_dir=$root/usr/lib/okr/plugins " "$data/okrd.log" ||
  { echo "FAIL: okrd did not say where its plugins came from" >&2; cat "$data/okrd.log" >&2; exit 1; }
"${ctl[@]}" version | grep -qx "okrd [0-9.]*" || { echo "FAIL: okrctl version" >&2; exit 1; }
