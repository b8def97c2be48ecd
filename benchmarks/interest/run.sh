#!/usr/bin/env bash
# One measurement of the interest management benchmark: for each universe name given, a fresh
# relay is started from RELAY_JAR on a free loopback port, the load generator runs one universe
# of PLAYERS pilots in it, and the relay is stopped. Prints one JSON line per universe (with the
# host's CPU use); progress goes to stderr. Run it under the machine's benchmark lock:
#
#   flock /tmp/bench.lock benchmarks/interest/run.sh RELAY_JAR PLAYERS UNIVERSE... [-- LOADGEN OPTIONS]
#   flock /tmp/bench.lock benchmarks/interest/run.sh target/relay.jar 1000 open-bench closed-bench -- --rate 5
#
# BENCH_NICE=-10 runs the relay and the load generator at that nice value (root only), so that
# other tenants' builds on a shared machine disturb the measurement less.
#
# open-* universes have interest management (relay.interest.universes defaults to ["open-*"]);
# any other name is the same load without it. Every phase is bounded: the relay gets 60 s to
# start, the load generator has its own watchdog, and the whole script stops after 150 s per universe.
set -euo pipefail
if [[ $# -lt 3 ]]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; shift
PLAYERS=$1; shift
UNIVERSES=()
while [[ $# -gt 0 && "$1" != "--" ]]; do UNIVERSES+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
BENCH_JAR="$HERE/target/interest-bench.jar"
[[ -f "$BENCH_JAR" ]] || (cd "$HERE" && mvn -B -q -o package -DskipTests >&2)
LOG_DIR="${LOG_DIR:-/tmp/interest-bench-logs}"
mkdir -p "$LOG_DIR"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NICE=(nice -n "${BENCH_NICE:-0}")

RELAY_PID=""
stop_relay() {
  if [[ -n "$RELAY_PID" ]] && kill -0 "$RELAY_PID" 2>/dev/null; then
    kill "$RELAY_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$RELAY_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$RELAY_PID" 2>/dev/null || true
  fi
  RELAY_PID=""
}
trap stop_relay EXIT

for UNIVERSE in "${UNIVERSES[@]}"; do
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  RELAY_LOG="$LOG_DIR/relay-$UNIVERSE-$PLAYERS-$PORT.log"
  RELAY_LIMITS_RATE=1000 RELAY_LIMITS_BURST=2000 RELAY_LIMITS_MAX_PLAYERS_PER_UNIVERSE=0 \
  RELAY_SESSION_MAX_CONNECTIONS=30000 RELAY_SESSION_MAX_CONNECTIONS_PER_ADDRESS=30000 \
  RELAY_QUOTAS_HANDSHAKE_RATE=100000 RELAY_QUOTAS_HANDSHAKE_BURST=100000 \
  RELAY_QUOTAS_IDENTITY_HANDSHAKE_RATE=100000 RELAY_QUOTAS_IDENTITY_HANDSHAKE_BURST=100000 \
  RELAY_QUOTAS_UNIVERSES_PER_MINUTE=100000 RELAY_QUOTAS_UNIVERSES_HELD=100000 RELAY_QUOTAS_ADDRESS_PLAYER_SHARE=1 \
  RELAY_QUOTAS_LOGIN_RATE=100000 RELAY_QUOTAS_LOGIN_BURST=100000 RELAY_EDGE_MAX_PENDING_PER_ADDRESS=100000 \
    "${NICE[@]}" java -Xms1g -Xmx1g -XX:+UseSerialGC -XX:MetaspaceSize=128m \
      -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port="$PORT" -jar "$JAR" >"$RELAY_LOG" 2>&1 &
  RELAY_PID=$!
  for i in $(seq 1 120); do
    kill -0 "$RELAY_PID" 2>/dev/null || { echo "relay died; see $RELAY_LOG" >&2; exit 1; }
    curl -fsS --max-time 2 "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    [[ $i -eq 120 ]] && { echo "relay not healthy in 60 s" >&2; exit 1; }
    sleep 0.5
  done
  START=$(date -u +%FT%TZ)
  timeout 150 "${NICE[@]}" java -XX:+UseSerialGC -Xms256m -Xmx1g -Dio.netty.leakDetection.level=disabled -jar "$BENCH_JAR" \
    --url "ws://127.0.0.1:$PORT" --universe "$UNIVERSE" --players "$PLAYERS" --server-pid "$RELAY_PID" \
    --label "$UNIVERSE-$PLAYERS" "$@" | sed "s/^{/{\"utc\":\"$START\",/"
  stop_relay
done
