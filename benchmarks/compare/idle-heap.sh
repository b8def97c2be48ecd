#!/usr/bin/env bash
# What an idle connection is made of: starts the relay as run.sh does (bin/relay, the one-address
# overrides), holds N idle connections of the load generator in 100 universes, and writes the live
# class histogram and a heap dump (live objects) taken during the hold, next to one beside no
# connection at all. heapdump.py reads them: which classes each connection adds, what keeps a class
# alive, what an object type retains (docs/performance.md, "Memory per idle connection").
#
#   benchmarks/compare/idle-heap.sh 2000 /tmp/heap        # -> /tmp/heap/{idle,empty}.{histo,hprof}
#   python3 benchmarks/compare/heapdump.py perconn /tmp/heap/empty.histo /tmp/heap/idle.histo 2000
#
# Environment: PORT (default 28520), JAVA_OPTS (extra JVM flags), RELAY_BENCH_SRC / RELAY_BENCH_WORK as
# for run.sh. Loopback only; the hold is bounded (45 s); the relay is stopped at the end.
set -uo pipefail
[ $# -eq 2 ] || { sed -n '2,13p' "$0"; exit 2; }
n="$1" out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
src="${RELAY_BENCH_SRC:-$root/../shared/bench}"
work="${RELAY_BENCH_WORK:-${TMPDIR:-/tmp}/relay-compare-bench}"
port="${PORT:-28520}"
mkdir -p "$work" "$out"
(cd "$src" && tar cf - --exclude=node_modules --exclude=target --exclude=results .) | (cd "$work" && tar xf -)
chmod -R u+w "$work"
[ -f "$work/loadgen/target/loadgen.jar" ] || (cd "$work/loadgen" && mvn -B -o package -DskipTests >&2) || exit 2
mapfile -t overrides < <(sed -n '/^RELAY_ONE_ADDRESS_OVERRIDES=(/,/^)/p' "$here/run.sh" | grep -o -- '-Drelay[^ ]*')
ulimit -n "$(ulimit -Hn)" 2>/dev/null

"$root/bin/relay" -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port="$port" "${overrides[@]}" >"$out/relay.log" 2>&1 &
launcher=$!
trap 'kill "$launcher" 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done
pid="$(pgrep -f -- "-Dmicronaut.server.port=$port" | head -1)"
[ -n "$pid" ] || { echo "idle-heap: the relay did not start (see $out/relay.log)" >&2; exit 1; }
sleep 3
jcmd "$pid" GC.class_histogram >"$out/empty.histo"
jcmd "$pid" GC.heap_dump "$out/empty.hprof" >/dev/null
java -jar "$work/loadgen/target/loadgen.jar" --url "ws://127.0.0.1:$port" --login --idle "$n" --universes 100 \
  --duration 45 --connect-timeout 150 --mode bin >"$out/loadgen.json" 2>"$out/loadgen.err" &
loadgen=$!
# wait until every connection has joined (the relay_players gauge), then a few seconds more
for _ in $(seq 240); do
  up="$(curl -fs "http://127.0.0.1:$port/prometheus" 2>/dev/null | awk '/^relay_players /{print int($2)}')"
  [ "${up:-0}" -ge "$n" ] && break
  sleep 0.5
done
sleep 3
jcmd "$pid" GC.class_histogram >"$out/idle.histo"
jcmd "$pid" GC.heap_dump "$out/idle.hprof" >/dev/null
wait "$loadgen"
echo "idle-heap: $n connections (${up:-?} seen open); $out/{empty,idle}.{histo,hprof}"
