#!/usr/bin/env bash
# A CPU profile of the relay (or Bun's syscall counts) under one load of the side-by-side benchmark:
# the evidence behind a change to the hot path. Same harness, same one-address overrides and same JVM
# start as run.sh; a few seconds into the measured window it attaches async-profiler to the relay
# (cpu, kernel stacks included, written as collapsed stacks) and counts the server's system calls
# with `perf stat`, then prints one line: delivered/s, p50, p99, server CPU µs per delivered event and
# system calls per delivered event, and the profile's heaviest frames per 1,000 delivered events.
#
#   benchmarks/compare/profile.sh target/relay.jar 50x20x10 /tmp/after
#   benchmarks/compare/profile.sh bun 50x20x10 /tmp/bun            # no profile, syscalls only
#
# Options (environment): PORT (default 28510), WARMUP (14 s), DURATION (12 s), JAVA_OPTS (extra JVM
# flags after bin/jvm.options, e.g. to try a collector), RELAY_JVM_OPTIONS (the settings file, as for
# bin/relay: default bin/jvm.options with MALLOC_ARENA_MAX=2; empty for the JVM's defaults), PROFILE_EVENT (async-profiler's event, default
# 'event=cpu,interval=1ms'; 'event=alloc' samples allocations, by bytes). async-profiler 4.1 comes from Maven Central
# (mvn dependency:get -Dartifact=tools.profiler:async-profiler:4.1); its linux-x64 library is taken out
# of the jar into $RELAY_BENCH_WORK/async-profiler. PERF_RECORD=1 samples the server with
# `perf record -g` instead (the same for the relay and Bun, no async-profiler, no perf stat): PREFIX.perf.data,
# and the samples per 1,000 delivered events by binary (kernel, JIT-compiled Java, the JVM, Bun),
# thread and kernel function, so the two servers' kernel and user time per event can be set side by
# side. Loopback only; bounded in time; the server is stopped by run-peer-compare.sh.
set -uo pipefail

[ $# -eq 3 ] || { sed -n '2,21p' "$0"; exit 2; }
what="$1" load="$2" out="$3"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
src="${RELAY_BENCH_SRC:-$root/../shared/bench}"
work="${RELAY_BENCH_WORK:-${TMPDIR:-/tmp}/relay-compare-bench}"
port="${PORT:-28510}" warmup="${WARMUP:-14}" duration="${DURATION:-12}"
IFS=x read -r U P R <<<"$load"
[[ "$load" =~ ^[0-9]+x[0-9]+x[0-9.]+$ ]] || { echo "profile: bad load $load" >&2; exit 2; }

mkdir -p "$work" "$(dirname "$out")"
(cd "$src" && tar cf - --exclude=node_modules --exclude=target --exclude=results .) | (cd "$work" && tar xf -)
chmod -R u+w "$work"
[ -f "$work/loadgen/target/loadgen.jar" ] || (cd "$work/loadgen" && mvn -B -o package -DskipTests >&2) || exit 2

overrides="$(sed -n '/^RELAY_ONE_ADDRESS_OVERRIDES=(/,/^)/p' "$here/run.sh" | grep -o -- '-Drelay[^ ]*' | tr '\n' ' ')"
if [ "$what" = bun ]; then
  [ -x "$work/peers/bun-relay/node_modules/.bin/bun" ] || (cd "$work/peers/bun-relay" && npm ci --no-audit --no-fund >&2)
  server=(--name bun --cwd "$work/peers/bun-relay" --server "node_modules/.bin/bun server.js" --env RELAY_RATE=1000 --env RELAY_BURST=2000)
else
  jar="$(cd "$(dirname "$what")" && pwd)/$(basename "$what")"
  options="${RELAY_JVM_OPTIONS-$root/bin/jvm.options}" settings=""
  [ -z "$options" ] || { settings="@$options"; export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"; }
  server=(--name relay --cwd "$root" --server "java $settings ${JAVA_OPTS:-} -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port={port} $overrides -jar $jar")
  lib="$work/async-profiler/linux-x64/libasyncProfiler.so"
  if [ ! -f "$lib" ]; then
    apjar="$HOME/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar"
    [ -f "$apjar" ] || mvn -B dependency:get -Dartifact=tools.profiler:async-profiler:4.1 >&2 || exit 2
    mkdir -p "$work/async-profiler" && (cd "$work/async-profiler" && unzip -o -q "$apjar" 'linux-x64/*')
  fi
  # loads the agent into the running relay (jcmd's JVMTI.agent_load cannot pass options holding '=')
  cat >"$work/async-profiler/Attach.java" <<'JAVA'
public class Attach {
    public static void main(String[] a) throws Exception {
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(a[0]);
        try { vm.loadAgentPath(a[1], a[2]); } finally { vm.detach(); }
    }
}
JAVA
fi

"$work/run-peer-compare.sh" --port "$port" "${server[@]}" --timeout 300 --log-dir "$work/logs" -- --mode bin --login \
  --universes "$U" --players "$P" --rate "$R" --warmup "$warmup" --duration "$duration" >"$out.json" 2>"$out.log" &
bg=$!
pid=""
for _ in $(seq 1 240); do
  pid="$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
  [ -n "$pid" ] && break
  sleep 0.5
done
[ -n "$pid" ] || { echo "profile: the server did not start" >&2; wait "$bg"; exit 1; }
# the load generator connects (a few seconds), warms up, then measures: profile inside the window
for _ in $(seq 1 300); do
  [ "$(ss -tnH state established "sport = :$port" 2>/dev/null | wc -l)" -ge $((U * P)) ] && break
  sleep 0.5
done
sleep "$((warmup + 1))"
window=$((duration - 3))
if [ "${PERF_RECORD:-0}" = 1 ]; then
  timeout $((window + 10)) perf record -F 997 -g -p "$pid" -o "$out.perf.data" -- sleep "$window" >"$out.perfrecord" 2>&1 || true
  wait "$bg"
  python3 - "$out" "$window" <<'PY'
import json, subprocess, sys
prefix, window = sys.argv[1], float(sys.argv[2])
result = [json.loads(l) for l in open(prefix + '.json') if l.startswith('{')][-1]
events = result['loadgen']['delivered_per_s'] * window / 1000
print(f"{prefix}: {result['loadgen']['delivered_per_s']:.0f} delivered/s; perf samples (997 Hz) per 1,000 delivered events:")
for key, top in (('dso', 6), ('comm', 6), ('sym', 12)):
    out = subprocess.run(['perf', 'report', '-i', prefix + '.perf.data', '--no-children', '--sort', key, '-g', 'none',
                          '--stdio', '-n'], capture_output=True, text=True).stdout
    rows = [l.split(None, 2) for l in out.splitlines() if l.strip() and not l.lstrip().startswith('#')]
    rows = [(float(r[1]) / events, r[2].strip()) for r in rows if len(r) == 3 and r[1].isdigit()]
    if key == 'dso':
        print(f"  all {sum(n for n, _ in rows):.2f}")
    print(f"  by {key}: " + ', '.join(f"{name} {n:.2f}" for n, name in rows[:top]))
PY
  exit 0
fi
[ "$what" = bun ] || java "$work/async-profiler/Attach.java" "$pid" "$lib" "start,${PROFILE_EVENT:-event=cpu,interval=1ms}" >/dev/null 2>&1
timeout $((window + 10)) perf stat -e task-clock,context-switches,raw_syscalls:sys_enter,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_read,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait \
  -p "$pid" -- sleep "$window" >"$out.perfstat" 2>&1 || true
[ "$what" = bun ] || java "$work/async-profiler/Attach.java" "$pid" "$lib" "stop,file=$out.collapsed,collapsed" >/dev/null 2>&1
wait "$bg"
python3 "$here/profile_summary.py" "$out" "$window"
