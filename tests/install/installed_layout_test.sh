#!/usr/bin/env bash
# The install layout (cmake --install into a temporary root): every file where it belongs,
# and the installed okrd, started anywhere with no --plugin-dir, loads the three shipped
# plugins from <prefix>/lib/okr/plugins; okrctl version answers for both sides.
#   installed_layout_test.sh BUILD_DIR
set -euo pipefail
build=$1
root=$(mktemp -d /tmp/okr-install.XXXXXX)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$root"
}
trap cleanup EXIT
cmake --install "$build" --prefix "$root/usr" >/dev/null
for f in bin/okrd bin/okrctl lib/okr/plugins/tiered_bonus.so lib/okr/plugins/threshold_redline.so \
  lib/okr/plugins/recognition.so lib/systemd/system/okrd.service etc/okr/okrd.conf \
  share/doc/okr-cascade/README.md; do
  if [ ! -e "$root/usr/$f" ]; then echo "FAIL: not installed: $f" >&2; exit 1; fi
done
# From another folder, as a service would start it.
cd "$root"
"$root/usr/bin/okrd" --listen 127.0.0.1:0 --data-dir "$root/data" --time-zone UTC \
  >"$root/okrd.log" 2>&1 &
pid=$!
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's/.*serving gRPC on .* (port \([0-9]*\)).*/\1/p' "$root/okrd.log")
  [ -n "$port" ] && [ -s "$root/data/admin.token" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then echo "FAIL: okrd did not start:" >&2; cat "$root/okrd.log" >&2; exit 1; fi
ctl=("$root/usr/bin/okrctl" --server "127.0.0.1:$port" --token "$(cat "$root/data/admin.token")")
plugins=$("${ctl[@]}" -o json plugin list | grep -o '"name": "[a-z_]*"' | sort | tr '\n' ' ')
expected='"name": "recognition" "name": "threshold_redline" "name": "tiered_bonus" '
if [ "$plugins" != "$expected" ]; then
  echo "FAIL: plugins of the installed okrd: '$plugins', expected '$expected'" >&2
  cat "$root/okrd.log" >&2
  exit 1
fi
grep -q "plugins from $root/usr/lib/okr/plugins" "$root/okrd.log" ||
  { echo "FAIL: okrd did not say where its plugins came from" >&2; cat "$root/okrd.log" >&2; exit 1; }
"${ctl[@]}" version | grep -qx "okrd [0-9.]*" || { echo "FAIL: okrctl version" >&2; exit 1; }
echo "installed layout: ok"
