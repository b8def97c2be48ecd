#!/usr/bin/env bash
# Smoke load test for CI: starts the relay jar on a free loopback port (through bin/relay, as the
# README starts it: the JVM settings of bin/jvm.options), runs all four Gatling
# simulations once with tiny parameters in a single Maven invocation, stops the relay, and
# exits non-zero when the relay did not come up or any Gatling assertion failed.
#
#   bash load-tests/smoke.sh target/relay.jar
#
# SMOKE_BASE_URL=http://127.0.0.1:18095 bash load-tests/smoke.sh -   runs against a relay that is
# already running (no jar started). Extra Maven arguments can be given in SMOKE_MVN_ARGS.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 RELAY_JAR   (or SMOKE_BASE_URL=http://127.0.0.1:PORT $0 -)" >&2
  exit 2
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$HERE/target"
RELAY_PID=""

stop_relay() {
  if [[ -n "$RELAY_PID" ]] && kill -0 "$RELAY_PID" 2>/dev/null; then
    echo "smoke: stopping relay (pid $RELAY_PID)"
    kill "$RELAY_PID" 2>/dev/null || true
    # the relay drains for at most 10 s (protocol section 11); do not wait longer than that
    for _ in $(seq 1 150); do kill -0 "$RELAY_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$RELAY_PID" 2>/dev/null || true
  fi
}
trap stop_relay EXIT

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  else
    # no python: a random port in 20000-59999 that ss does not show as listening
    local p
    while :; do
      p=$((20000 + RANDOM % 40000))
      ss -ltnH "sport = :$p" | grep -q . || { echo "$p"; return; }
    done
  fi
}

if [[ "$1" == "-" ]]; then
  BASE_URL="${SMOKE_BASE_URL:?SMOKE_BASE_URL must be set when no jar is given}"
  echo "smoke: using the relay already running at $BASE_URL"
else
  JAR="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
  [[ -f "$JAR" ]] || { echo "smoke: no relay jar at $1" >&2; exit 2; }
  PORT="$(free_port)"
  BASE_URL="http://127.0.0.1:$PORT"
  RELAY_LOG="$HERE/target/smoke-relay.log"
  echo "smoke: starting $JAR on 127.0.0.1:$PORT (log: $RELAY_LOG)"
  # Every virtual user comes from 127.0.0.1, logs in as a guest and several share a universe: the
  # per-address quotas (docs/operations.md, "Players, universes and logins") are raised out of
  # the way; the relay's own tests check them.
  QUOTAS=(
    -Drelay.quotas.handshake-rate=100000 -Drelay.quotas.handshake-burst=100000
    -Drelay.quotas.identity-handshake-rate=100000 -Drelay.quotas.identity-handshake-burst=100000
    -Drelay.quotas.universes-per-minute=100000 -Drelay.quotas.universes-held=100000
    -Drelay.quotas.address-player-share=1
    -Drelay.quotas.takeover-rate=100000 -Drelay.quotas.takeover-burst=100000
    -Drelay.quotas.login-rate=100000 -Drelay.quotas.login-burst=100000
    -Drelay.edge.max-pending-per-address=100000
  )
  RELAY_JAR="$JAR" "$HERE/../bin/relay" -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port="$PORT" "${QUOTAS[@]}" >"$RELAY_LOG" 2>&1 &
  RELAY_PID=$!

  # wait for /health, at most 60 s, and give up at once if the relay died
  for i in $(seq 1 120); do
    if ! kill -0 "$RELAY_PID" 2>/dev/null; then
      echo "smoke: the relay exited during start-up; last lines of its log:" >&2
      tail -n 40 "$RELAY_LOG" >&2
      exit 1
    fi
    if curl -fsS --max-time 2 "$BASE_URL/health" >/dev/null 2>&1; then
      echo "smoke: relay healthy after $((i / 2)) s"
      break
    fi
    if [[ $i -eq 120 ]]; then
      echo "smoke: no healthy /health at $BASE_URL within 60 s; last lines of its log:" >&2
      tail -n 40 "$RELAY_LOG" >&2
      exit 1
    fi
    sleep 0.5
  done
fi

# Tiny parameters, same for every simulation. mode=mixed: half the players speak relay.v1.bin,
# half relay.v1.json, in the same universes, so both wire forms are checked in one run.
# The latency bounds are looser than the defaults: the relay starts cold (no JIT yet) and CI
# shares two cores between Maven, Gatling and the relay; they still catch a relay that stalls.
PARAMS=(
  -DbaseUrl="$BASE_URL"
  -Dmode=mixed
  -Duniverses=2
  -DplayersPerUniverse=3
  -DmoveRate=10
  -Dduration=5
  -Dramp=1
  -DconnectionsPerSec=10
  -DstormRamp=2
  -DstormHold=3
  -Dlinger=1
  -DseedersPerUniverse=2
  -DlateJoinersPerUniverse=3
  -DlatencyP50=100
  -DlatencyP95=500
  -DlatencyP99=1000
)

echo "smoke: codec tests, then AbuseSimulation, ConnectionStormSimulation, LateJoinerSimulation,"
echo "smoke: UniverseFanoutSimulation against $BASE_URL with: ${PARAMS[*]}"
MVN_LOG="$HERE/target/smoke-mvn.log"
# shellcheck disable=SC2086 # SMOKE_MVN_ARGS is a list of words on purpose
set +e
mvn -B -f "$HERE/pom.xml" test gatling:test \
  -Dgatling.runMultipleSimulations=true \
  -Dgatling.continueOnAssertionFailure=true \
  "${PARAMS[@]}" ${SMOKE_MVN_ARGS:-} 2>&1 | tee "$MVN_LOG"
status=${PIPESTATUS[0]}
set -e

echo
echo "smoke: assertions of every simulation (false = failed):"
# Gatling prints each assertion as "<what> : true|false (actual : N)"
grep -E 'Simulation .* (started|completed)|^Reports generated| : (true|false) \(actual' "$MVN_LOG" || true
if [[ $status -ne 0 ]]; then
  echo "smoke: FAILED (maven exit $status); reports under $HERE/target/gatling/" >&2
else
  echo "smoke: OK; reports under $HERE/target/gatling/"
fi
exit "$status"
