#!/usr/bin/env bash
# Final comparison matrix: A, B sweep, C, D for relay, ws, sio. Appends JSON lines to /tmp/perf/final/*.jsonl
set -u
cd /tmp/bench
PORT=28181
OUT=/tmp/perf/final
RELAY_FLAGS='-Xms1g -Xmx1g -XX:+UseSerialGC -XX:MetaspaceSize=128m'
RELAY_CMD="java $RELAY_FLAGS -Xlog:gc:file=/tmp/perf/final/gc-%p.log -Dmicronaut.server.port={port} -jar /tmp/relay-bench/target/relay.jar"
RELAY_ENV=(--env RELAY_LIMITS_RATE=1000 --env RELAY_LIMITS_BURST=2000 --env RELAY_SESSION_MAX_CONNECTIONS_PER_ADDRESS=30000 --env RELAY_SESSION_MAX_CONNECTIONS=30000)
PEER_ENV=(--env RELAY_RATE=1000 --env RELAY_BURST=2000)

# server NAME -> run-peer-compare args
srv() {
  case "$1" in
    relay) echo "--name relay --port $PORT";;
    ws) echo "--name ws --port $PORT";;
    sio) echo "--name sio --port $PORT";;
  esac
}
run() { # FILE TAG SERVER [pin] -- loadgen args (mode given separately)
  local file="$1" tag="$2" s="$3"; shift 3
  local pin=()
  if [ "${1:-}" = pin ]; then pin=(--server-cpus 0 --loadgen-cpus 1); shift; fi
  [ "${1:-}" = -- ] && shift
  case "$s" in
    relay) /tmp/perf/run.sh "$OUT/$file" "$tag" --name relay --port $PORT --server "$RELAY_CMD" "${RELAY_ENV[@]}" "${pin[@]}" -- --mode "${MODE:-bin}" --login "$@";;
    ws)    /tmp/perf/run.sh "$OUT/$file" "$tag" --name ws --port $PORT --server 'node peers/ws-relay/server.js' "${PEER_ENV[@]}" "${pin[@]}" -- --mode "${MODE:-bin}" --login "$@";;
    sio)   /tmp/perf/run.sh "$OUT/$file" "$tag" --name sio --port $PORT --server 'node peers/socketio-relay/server.js' "${PEER_ENV[@]}" "${pin[@]}" -- --target socketio --login "$@";;
  esac | python3 /tmp/perf/summ.py
}
# perf stat of syscalls of the server during the measured window (started in background)
sysc() { # NAME
  ( for i in $(seq 1 200); do pid=$(ss -ltnp "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2); [ -n "$pid" ] && break; sleep 0.2; done
    for i in $(seq 1 300); do n=$(ss -tn state established "( sport = :$PORT )" 2>/dev/null | tail -n +2 | wc -l); [ "$n" -ge 990 ] && break; sleep 0.2; done
    sleep 6
    perf stat -x, -e raw_syscalls:sys_enter,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_read,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_futex,context-switches -p "$pid" -- sleep 8 2> "$OUT/syscalls-$1.csv"
    echo "pid $pid n $n" >> "$OUT/syscalls-$1.csv" ) &
}

A="--universes 50 --players 20 --rate 10 --duration 15 --warmup 15"
phase="${1:-all}"
if [ "$phase" = all ] || [ "$phase" = A ]; then
  for s in relay ws sio; do sysc "A-$s"; run A.jsonl "A" $s -- $A; wait; done
  for s in relay ws sio; do run A.jsonl "A-pinned" $s pin -- $A; done
fi
if [ "$phase" = all ] || [ "$phase" = D ]; then
  MODE=json run D.jsonl "D-json-A" relay -- $A
  MODE=json run D.jsonl "D-json-95k" relay -- --universes 50 --players 20 --rate 5 --duration 15 --warmup 15
fi
if [ "$phase" = all ] || [ "$phase" = B ]; then
  steps_peer="10:10 20:5 20:7 20:10"
  steps_relay="10:10 20:5 20:7 20:10 30:10 40:10 50:10"
  for st in $steps_relay; do run B.jsonl "B-P${st%:*}-R${st#*:}" relay -- --universes 50 --players ${st%:*} --rate ${st#*:} --duration 12 --warmup 15; done
  for s in ws sio; do for st in $steps_peer; do run B.jsonl "B-P${st%:*}-R${st#*:}" $s -- --universes 50 --players ${st%:*} --rate ${st#*:} --duration 12 --warmup 15; done; done
fi
if [ "$phase" = all ] || [ "$phase" = C ]; then
  for s in relay ws sio; do run C.jsonl "C-idle" $s -- --idle 19800 --universes 200 --duration 35 --connect-timeout 150; done
fi
if [ "$phase" = T ]; then
  OUT=/tmp/perf/test; mkdir -p $OUT
  sysc "T-ws"; run T.jsonl "T" ws -- --universes 50 --players 20 --rate 2 --duration 12 --warmup 5; wait
  cat $OUT/syscalls-T-ws.csv
fi
if [ "$phase" = T2 ]; then
  OUT=/tmp/perf/test; mkdir -p $OUT
  RELAY_CMD="java $RELAY_FLAGS -XX:StartFlightRecording=delay=12s,duration=10s,settings=profile,filename=/tmp/perf/test/relayA-pre.jfr -Dmicronaut.server.port={port} -jar /tmp/relay-bench/target/relay.jar"
  sysc "T-relay"; run T.jsonl "T" relay -- $A; wait
  cat $OUT/syscalls-T-relay.csv
fi
if [ "$phase" = T3 ]; then
  OUT=/tmp/perf/test; mkdir -p $OUT
  ( for i in $(seq 1 200); do pid=$(ss -ltnp "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2); [ -n "$pid" ] && break; sleep 0.2; done
    for i in $(seq 1 300); do n=$(ss -tn state established "( sport = :$PORT )" 2>/dev/null | tail -n +2 | wc -l); [ "$n" -ge 990 ] && break; sleep 0.2; done
    sleep 6; perf record -F 499 -e cpu-clock -g -p "$pid" -o $OUT/perf-${PERFNAME:-relay}.data -- sleep 8 2>/dev/null >/dev/null ) &
  run T.jsonl "T3" ${PERFNAME:-relay} -- $A; wait
fi
if [ "$phase" = T4 ]; then
  OUT=/tmp/perf/test; mkdir -p $OUT
  for s in ws relay; do
  sysc "T4-$s"; 
  ( for i in $(seq 1 200); do pid=$(ss -ltnp "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2); [ -n "$pid" ] && break; sleep 0.2; done
    for i in $(seq 1 300); do n=$(ss -tn state established "( sport = :$PORT )" 2>/dev/null | tail -n +2 | wc -l); [ "$n" -ge 990 ] && break; sleep 0.2; done
    sleep 6; perf record -F 499 -e cpu-clock -g -p "$pid" -o $OUT/perf-T4-$s.data -- sleep 8 2>/dev/null >/dev/null ) &
  run T.jsonl "T4" $s -- --universes 50 --players 20 --rate 5 --duration 15 --warmup 15; wait
  done
fi
if [ "$phase" = T5 ]; then
  OUT=/tmp/perf/test; mkdir -p $OUT
  run T.jsonl "T5-warm15" relay -- --universes 50 --players 20 --rate 5 --duration 15 --warmup 15
  run T.jsonl "T5-warm15-pinned" relay pin -- --universes 50 --players 20 --rate 5 --duration 15 --warmup 15
fi
if [ "$phase" = C2 ]; then
  RELAY_CMD="java -Xms256m -Xmx256m -Xmn32m -XX:+UseSerialGC -XX:MetaspaceSize=128m -Dmicronaut.server.port={port} -jar /tmp/relay-bench/target/relay.jar"
  run C.jsonl "C-idle-smallheap" relay -- --idle 19800 --universes 200 --duration 35 --connect-timeout 150
fi
if [ "$phase" = peersC ]; then
  for s in ws sio; do run C.jsonl "C-idle" $s -- --idle 19800 --universes 200 --duration 35 --connect-timeout 150; done
fi
if [ "$phase" = peersB ]; then
  for s in ws sio; do for st in 10:10 20:5 20:7 20:10; do run B.jsonl "B-P${st%:*}-R${st#*:}" $s -- --universes 50 --players ${st%:*} --rate ${st#*:} --duration 12 --warmup 15; done; done
fi
if [ "$phase" = relayB ]; then
  for st in 10:10 20:5 20:7 20:10 30:10 40:10 50:10; do run B.jsonl "B-P${st%:*}-R${st#*:}" relay -- --universes 50 --players ${st%:*} --rate ${st#*:} --duration 12 --warmup 15; done
fi
if [ "$phase" = relayC ]; then
  run C.jsonl "C-idle" relay -- --idle 19800 --universes 200 --duration 35 --connect-timeout 150
fi
if [ "$phase" = extra ]; then
  run B.jsonl "B-P35-R10" relay -- --universes 50 --players 35 --rate 10 --duration 12 --warmup 15
  for s in ws sio; do run B.jsonl "B-P20-R6" $s -- --universes 50 --players 20 --rate 6 --duration 12 --warmup 15; done
fi
if [ "$phase" = prof ]; then
  OUT=/tmp/perf/test
  RELAY_CMD="java $RELAY_FLAGS -Dmicronaut.server.port={port} -jar /tmp/relay-bench/target/relay.jar"
  ( for i in $(seq 1 200); do pid=$(ss -ltnp "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2); [ -n "$pid" ] && break; sleep 0.2; done
    for i in $(seq 1 300); do n=$(ss -tn state established "( sport = :$PORT )" 2>/dev/null | tail -n +2 | wc -l); [ "$n" -ge 990 ] && break; sleep 0.2; done
    sleep 16; perf record -F 499 -e cpu-clock -g -p "$pid" -o $OUT/perf-final-relay.data -- sleep 8 2>/dev/null >/dev/null ) &
  run T.jsonl "prof" relay -- $A; wait
fi
