#!/usr/bin/env bash
# Dashboard page time on the 100,000-agent benchmark organisation (issue 10): imports the
# synthetic org, cascades one metric, ingests a day of actuals for a group, then times the
# pages with curl (median of 5). Usage: bench/dashboard_time.sh [AGENTS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AGENTS=${1:-100000}
WORK=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 "$ROOT/bench/gen_org.py" --agents "$AGENTS" --out "$WORK/org.csv"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
http=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$ROOT/build/okrd" --listen 127.0.0.1:$port --data-dir "$WORK/data" --http-listen 127.0.0.1:$http \
  >"$WORK/okrd.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -s "$WORK/data/admin.token" ] && break; sleep 0.1; done
export OKR_SERVER=127.0.0.1:$port OKR_TOKEN=$(cat "$WORK/data/admin.token")
ctl() { "$ROOT/build/okrctl" "$@"; }
start=$(date +%s.%N)
ctl -o json org import "$WORK/org.csv" >/dev/null
echo "org import of $AGENTS agents: $(echo "$(date +%s.%N) - $start" | bc) s"
ctl metric define tickets --kind count --direction up >/dev/null
ctl target set --unit acme --metric tickets --year 2026 --value $((AGENTS * 12)) >/dev/null
ctl cascade --unit acme --metric tickets --year 2026 >/dev/null
team=$(ctl -o json org show acme --depth 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][1]["unit_id"])')
group=$(ctl -o json org show "$team" --depth 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][1]["unit_id"])')
agent=$(ctl -o json org show "$group" --depth 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][1]["unit_id"])')
cookie="okr_session=$OKR_TOKEN"
time_page() {
  local url=$1 times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -s -o /dev/null -w '%{time_total} (HTTP %{http_code}, %{size_download} bytes)' -b "$cookie" "http://127.0.0.1:$http$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
echo "page                                   median of 5 (s)"
echo "/ company ($team and 19 other teams)    $(time_page "/?unit=acme&metric=tickets&month=2026-10")"
echo "/ team ($group ... 50 groups)           $(time_page "/?unit=$team&metric=tickets&month=2026-10")"
echo "/ group (100 agents)                    $(time_page "/?unit=$group&metric=tickets&month=2026-10")"
echo "/ agent                                 $(time_page "/?unit=$agent&metric=tickets&month=2026-10")"
echo "/explain agent                          $(time_page "/explain?unit=$agent&metric=tickets&month=2026-10")"
