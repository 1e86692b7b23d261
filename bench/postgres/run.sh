#!/usr/bin/env bash
# PostgreSQL 15 (Debian) doing okrd's work on the same organisation, for bench/README.md's
# comparison (issue 17). Called by `scripts/bench --with-postgres`, or alone:
#
#   bench/postgres/run.sh --org ORG.csv [--events N] [--batch 1000] [--out RESULT.json]
#
# A private cluster in a temp folder (fsync on, synchronous_commit on: durable like okrd's
# synced batches), on a Unix socket only. Measured, each the median of three unless said:
#   cascade   one metric's year target of the company spread to every agent and month by FTE
#             and active days, with the group/team/company month sums: bench/postgres/cascade.sql
#   ingest    N events through psql, one transaction per --batch events, idempotent by event
#             id (INSERT ... ON CONFLICT DO NOTHING), as okrd is; measured once. Then the same
#             events by COPY, same transactions, into an empty table: PostgreSQL's ceiling
#   company month / group month
#             the sum of a month's events below a unit, by recursive CTE over the tree
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ORG= EVENTS=200000 BATCH=1000 OUT= KEEP=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --org) ORG=$2; shift ;;
    --events) EVENTS=$2; shift ;;
    --batch) BATCH=$2; shift ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "postgres bench: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n $ORG && -f $ORG ]] || { echo "postgres bench: --org ORG.csv is required" >&2; exit 2; }
PGBIN=/usr/lib/postgresql/15/bin
[[ -x $PGBIN/postgres ]] || { echo "postgres bench: needs Debian's postgresql-15 (apt install postgresql-15; not in scripts/install-deps, which installs only what builds and tests need)" >&2; exit 1; }

log() { printf '[postgres %s] %s\n' "$(date +%T)" "$*" >&2; }
WORK=$(mktemp -d /tmp/okr-pg.XXXXXX)
chmod 755 "$WORK"
# PostgreSQL refuses to run as root: the cluster belongs to the postgres user (or ours).
AS=()
if [[ $(id -u) -eq 0 ]]; then AS=(runuser -u postgres --); chown postgres "$WORK"; fi
cleanup() {
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  if [[ $KEEP == 0 ]]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT

log "initdb in $WORK/data"
"${AS[@]}" "$PGBIN/initdb" -D "$WORK/data" -U okr --auth=trust >/dev/null
"${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
  -o "-c listen_addresses='' -k $WORK -c fsync=on -c synchronous_commit=on \
      -c shared_buffers=1GB -c max_wal_size=4GB" start >/dev/null
PSQL=("${AS[@]}" psql -X -q -v ON_ERROR_STOP=1 -h "$WORK" -U okr -d postgres)

# Milliseconds of wall time of one command.
millis() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

cp "$ORG" "$WORK/org.csv"
chmod 644 "$WORK/org.csv"
"${PSQL[@]}" -f "$HERE/schema.sql"
"${PSQL[@]}" -c "\\copy units FROM '$WORK/org.csv' WITH (FORMAT csv, HEADER true)"
AGENTS=$("${PSQL[@]}" -At -c "SELECT count(*) FROM units WHERE kind = 'agent'")
log "org: $AGENTS agents"

log "cascade x3"
c=()
for _ in 1 2 3; do c+=("$(millis "${PSQL[@]}" -f "$HERE/cascade.sql")"); done
CASCADE_MS=$(median3 "${c[@]}")
PLAN_ROWS=$("${PSQL[@]}" -At -c "SELECT count(*) FROM plan_months")

log "generating $EVENTS events in transactions of $BATCH"
python3 "$HERE/gen_events.py" --org "$WORK/org.csv" --events "$EVENTS" --batch "$BATCH" \
  --out "$WORK/events.sql"
chmod 644 "$WORK/events.sql"
log "ingest"
INGEST_MS=$(millis "${PSQL[@]}" -f "$WORK/events.sql")
STORED=$("${PSQL[@]}" -At -c "SELECT count(*) FROM events")
# The same events by COPY into an empty table, in the same transactions: PostgreSQL's ceiling.
log "ingest by COPY (ceiling)"
python3 "$HERE/gen_events.py" --org "$WORK/org.csv" --events "$EVENTS" --batch "$BATCH" --copy \
  --out "$WORK/events.copy"
chmod 644 "$WORK/events.copy"
"${PSQL[@]}" -c "CREATE TABLE events_copy (LIKE events INCLUDING ALL)"
sed -i 's/^COPY events FROM/COPY events_copy FROM/' "$WORK/events.copy"
COPY_MS=$(millis "${PSQL[@]}" -f "$WORK/events.copy")
"${PSQL[@]}" -c "DROP TABLE events_copy"
"${PSQL[@]}" -c "VACUUM ANALYZE events"

query_ms() {  # median of three runs of the month sum below unit $1
  local unit=$1 t=()
  for _ in 1 2 3; do
    t+=("$(millis "${PSQL[@]}" -v unit="$unit" -f "$HERE/month_below.sql")")
  done
  median3 "${t[@]}"
}
GROUP=$("${PSQL[@]}" -At -c "SELECT unit_id FROM units WHERE kind = 'group' ORDER BY unit_id LIMIT 1")
COMPANY=$("${PSQL[@]}" -At -c "SELECT unit_id FROM units WHERE kind = 'company' LIMIT 1")
COMPANY_MS=$(query_ms "$COMPANY")
GROUP_MS=$(query_ms "$GROUP")
# psql's own start costs a few milliseconds of each figure: measured, so the reader can take it
# off (the figures above include it, as a client's would).
EMPTY_MS=$(median3 "$(millis "${PSQL[@]}" -c 'SELECT 1')" "$(millis "${PSQL[@]}" -c 'SELECT 1')" \
  "$(millis "${PSQL[@]}" -c 'SELECT 1')")

RATE=$((STORED * 1000 / (INGEST_MS > 0 ? INGEST_MS : 1)))
COPY_RATE=$((STORED * 1000 / (COPY_MS > 0 ? COPY_MS : 1)))
RESULT=$(printf '{"postgres":"%s","agents":%d,"plan_rows":%d,"cascade_ms":%d,"events":%d,"batch":%d,"ingest_ms":%d,"ingest_events_per_s":%d,"copy_ms":%d,"copy_events_per_s":%d,"company_month_ms":%d,"group_month_ms":%d,"psql_start_ms":%d}' \
  "$("$PGBIN/postgres" --version | awk '{print $3}')" "$AGENTS" "$PLAN_ROWS" "$CASCADE_MS" \
  "$STORED" "$BATCH" "$INGEST_MS" "$RATE" "$COPY_MS" "$COPY_RATE" "$COMPANY_MS" "$GROUP_MS" "$EMPTY_MS")
echo "$RESULT"
[[ -z $OUT ]] || echo "$RESULT" >"$OUT"
log "cascade ${CASCADE_MS} ms ($PLAN_ROWS plan rows); ingest $RATE events/s ($STORED in ${INGEST_MS} ms);" \
  "by COPY $COPY_RATE events/s;" \
  "company month ${COMPANY_MS} ms; group month ${GROUP_MS} ms; psql start ${EMPTY_MS} ms"
