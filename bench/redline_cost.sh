#!/usr/bin/env bash
# Cost of red-line evaluation after ingestion: okrd --demo (threshold_redline loaded), then
# BATCHES imports of EVENTS events each, on random demo agents and the 31 days before today.
# Reports the import wall time and the CPU seconds okrd spent from the first import until it
# is idle again (every evaluation the imports queued has run), and the alerts opened.
# Usage: bench/redline_cost.sh [BUILD_DIR] [BATCHES] [EVENTS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
BATCHES=${2:-40}
EVENTS=${3:-200}
WORK=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BUILD/okrd" --listen 127.0.0.1:$port --data-dir "$WORK/data" --plugin-dir "$BUILD/plugins" \
  --demo >"$WORK/okrd.log" 2>&1 &
pid=$!
export OKR_SERVER=127.0.0.1:$port
for _ in $(seq 1 100); do
  [ -s "$WORK/data/admin.token" ] && OKR_TOKEN=$(cat "$WORK/data/admin.token") &&
    "$BUILD/okrctl" --token "$OKR_TOKEN" metric list >/dev/null 2>&1 && break
  sleep 0.2
done
export OKR_TOKEN
ctl() { "$BUILD/okrctl" "$@"; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }  # utime + stime, clock ticks
wait_idle() {  # until okrd used no CPU for a whole second
  local before after
  before=$(cpu)
  while sleep 1; after=$(cpu); [ "$after" != "$before" ]; do before=$after; done
}
ctl -o json org show shopnow --depth 3 >"$WORK/org.json"
python3 - "$WORK" "$BATCHES" "$EVENTS" <<'PY'
import datetime, json, random, sys
work, batches, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
today = datetime.date.today()
first, last = str(today - datetime.timedelta(days=30)), str(today)
agents = [u["unit_id"] for u in json.load(open(f"{work}/org.json"))["units"]
          if u["kind"] == "agent" and (u["start_date"] or first) <= first
          and (u["end_date"] or last) >= last]
rng = random.Random(20261129)
for b in range(batches):
    with open(f"{work}/batch{b}.csv", "w") as f:
        f.write("event_id,unit_id,metric,date,value,denominator\n")
        for i in range(events):
            day = today - datetime.timedelta(days=rng.randrange(31))
            agent = rng.choice(agents)
            if rng.random() < 0.5:
                f.write(f"rb{b}-{i},{agent},tickets_resolved,{day},{rng.randrange(1, 30)},\n")
            else:
                n = rng.randrange(1, 20)
                f.write(f"rb{b}-{i},{agent},csat,{day},{rng.randrange(0, n + 1)},{n}\n")
PY
wait_idle
ticks=$(getconf CLK_TCK)
cpu_start=$(cpu)
start=$(date +%s.%N)
for b in $(seq 0 $((BATCHES - 1))); do ctl -o json actuals import "$WORK/batch$b.csv" >"$WORK/reply$b.json" || { cat "$WORK/reply$b.json"; exit 1; }; done
imported=$(date +%s.%N)
wait_idle
cpu_end=$(cpu)
alerts=$(ctl -o json alerts --status open | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["alerts"]))')
echo "okrd: $BUILD/okrd"
echo "imports: $BATCHES x $EVENTS events in $(echo "$imported - $start" | bc) s"
echo "okrd CPU from first import to idle: $(echo "scale=2; ($cpu_end - $cpu_start) / $ticks" | bc) s"
echo "open alerts: $alerts"
