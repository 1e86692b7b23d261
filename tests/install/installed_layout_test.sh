#!/usr/bin/env bash
# The install layout (cmake --install into a temporary root): every file where it belongs,
# and the installed okrd, started anywhere with no --plugin-dir, loads the three shipped
# plugins from <prefix>/lib/okr/plugins; okrctl version answers for both sides.
#   installed_layout_test.sh BUILD_DIR
set -euo pipefail
build=$1
root=$(mktemp -d /tmp/okr-install.XXXXXX)
trap 'rm -rf "$root"' EXIT
cmake --install "$build" --prefix "$root/usr" >/dev/null
for f in bin/okrd bin/okrctl lib/okr/plugins/tiered_bonus.so lib/okr/plugins/threshold_redline.so \
  lib/okr/plugins/recognition.so lib/systemd/system/okrd.service etc/okr/okrd.conf \
  share/doc/okr-cascade/README.md share/bash-completion/completions/okrctl; do
  if [ ! -e "$root/usr/$f" ]; then echo "FAIL: not installed: $f" >&2; exit 1; fi
done
"$(dirname "$0")/installed_okrd_serves.sh" "$root"
echo "installed layout: ok"
