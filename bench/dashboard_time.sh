#!/usr/bin/env bash
# Dashboard page time on the 100,000-agent benchmark organisation (issue 10): imports the
# synthetic org, cascades one metric, ingests a day of actuals for a group, then times the
# pages with curl (median of 5). Usage: bench/dashboard_time.sh [AGENTS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AGENTS=${1:-100000}
BUILD=$ROOT/build
WORK=$(mktemp -d)
source "$ROOT/bench/okrd_on_org.sh"
start=$(date +%s.%N)
ctl -o json org import "$WORK/org.csv" >/dev/null
echo "org import of $AGENTS agents: $(echo "$(date +%s.%N) - $start" | bc) s"
ctl metric define tickets --kind count --direction up >/dev/null
ctl target set --unit acme --metric tickets --year 2026 --value $((AGENTS * 12)) >/dev/null
ctl cascade --unit acme --metric tickets --year 2026 >/dev/null
team=$(ctl -o json org show acme --depth 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][1]["unit_id"])')
group=$(ctl -o json org show "$team" --depth 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][1]["unit_id"])')
agent=$(ctl -o json org show "$group" --depth 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][1]["unit_id"])')
time_page() {
  local url=$1 times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -s -o /dev/null -w '%{time_total} (HTTP %{http_code}, %{size_download} bytes)' -H "Authorization: Bearer $OKR_TOKEN" "http://127.0.0.1:$http$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
echo "page                                   median of 5 (s)"
echo "/ company ($team and 19 other teams)    $(time_page "/?unit=acme&metric=tickets&month=2026-10")"
echo "/ team ($group ... 50 groups)           $(time_page "/?unit=$team&metric=tickets&month=2026-10")"
echo "/ group (100 agents)                    $(time_page "/?unit=$group&metric=tickets&month=2026-10")"
echo "/ agent                                 $(time_page "/?unit=$agent&metric=tickets&month=2026-10")"
echo "/explain agent                          $(time_page "/explain?unit=$agent&metric=tickets&month=2026-10")"
