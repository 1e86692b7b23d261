# Sourced by the bench/*_time.sh scripts: generates the synthetic org of $AGENTS agents
# (bench/gen_org.py) in a temp folder $WORK, starts $BUILD/okrd on it with a gRPC and an HTTP
# port ($port, $http; killed and removed on exit), and defines ctl (okrctl, authenticated).
python3 "$ROOT/bench/gen_org.py" --agents "$AGENTS" --out "$WORK/org.csv"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
http=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BUILD/okrd" --listen 127.0.0.1:$port --data-dir "$WORK/data" --http-listen 127.0.0.1:$http \
  >"$WORK/okrd.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do [ -s "$WORK/data/admin.token" ] && break; sleep 0.1; done
export OKR_SERVER=127.0.0.1:$port OKR_TOKEN=$(cat "$WORK/data/admin.token")
ctl() { "$BUILD/okrctl" "$@"; }
