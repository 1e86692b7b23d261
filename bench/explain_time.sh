#!/usr/bin/env bash
# explain on the 100,000-agent benchmark organisation (issue 17): imports the synthetic org,
# cascades one metric, then times `okrctl explain` of an agent's month and the dashboard's
# /explain page (median of 5 each). Usage: bench/explain_time.sh [BUILD_DIR] [AGENTS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
AGENTS=${2:-100000}
WORK=$(mktemp -d)
source "$ROOT/bench/okrd_on_org.sh"
ctl -o json org import "$WORK/org.csv" >/dev/null
ctl metric define tickets --kind count --direction up >/dev/null
ctl target set --unit acme --metric tickets --year 2026 --value $((AGENTS * 12)) >/dev/null
start=$(date +%s.%N)
ctl cascade --unit acme --metric tickets --year 2026 >/dev/null
echo "cascade (okrctl end to end): $(echo "$(date +%s.%N) - $start" | bc) s"
team=$(ctl -o json org show acme --depth 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][1]["unit_id"])')
group=$(ctl -o json org show "$team" --depth 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][1]["unit_id"])')
agent=$(ctl -o json org show "$group" --depth 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][1]["unit_id"])')
median() { sort -n | sed -n 3p; }
for _ in 1 2 3 4 5; do
  s=$(date +%s%N)
  ctl -o json explain --unit "$agent" --metric tickets --period 2026-10 >"$WORK/explain.json"
  echo $(( ($(date +%s%N) - s) / 1000 ))
done | median | awk '{printf "okrctl explain %s (median of 5, end to end): %.1f ms\n", "'"$agent"'", $1 / 1000}'
for _ in 1 2 3 4 5; do
  s=$(date +%s%N)
  ctl -o json metric list >/dev/null
  echo $(( ($(date +%s%N) - s) / 1000 ))
done | median | awk '{printf "okrctl metric list (the floor: process start and one RPC): %.1f ms\n", $1 / 1000}'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ", [(s["unit"], s["rule"], s["value"]) for s in d["chain"]])' "$WORK/explain.json"
for _ in 1 2 3 4 5; do
  curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -H "Authorization: Bearer $OKR_TOKEN" \
    "http://127.0.0.1:$http/explain?unit=$agent&metric=tickets&month=2026-10"
done | median | awk '{printf "/explain page (median of 5, curl): %.1f ms (HTTP %s)\n", $1 * 1000, $2}'
