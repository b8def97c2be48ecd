#!/usr/bin/env bash
# Two (or more) builds of the relay under the same load, alternating, in one run: the before/after
# check of a change to the server. Same harness and same one-address overrides as run.sh; the JVM
# is started the same way for every jar, so only the code differs.
#
#   benchmarks/compare/jars.sh before=/tmp/relay-old.jar after=target/relay.jar
#   benchmarks/compare/jars.sh --load 50x20x10 --repeat 3 before=A.jar after=B.jar
#   benchmarks/compare/jars.sh loops4=target/relay.jar 'loops2=target/relay.jar -Dmicronaut.netty.event-loops.default.num-threads=2'
#
# A jar may be followed by JVM flags of its own (after a space, inside the quotes): the same build
# under two settings.
#
# Options: --load UxPxR (default 50x20x10, load A of docs/benchmarks/history.md), --repeat N
# (default 3: rounds of before, after, before, after, ...), --warmup S --duration S (default 10, 10),
# --port P (default 28300), --java-opts "..." (JVM flags for every jar; default none; with
# @bin/jvm.options among them MALLOC_ARENA_MAX=2 is set too, as bin/relay does).
# Environment: RELAY_BENCH_SRC, RELAY_BENCH_WORK as for run.sh.
# Writes benchmarks/compare/results/jars-<utc>.jsonl and prints the median CPU µs/event and p99 per
# jar, with the ratio of each jar to the first. Loopback only; every run is bounded in time.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
src="${RELAY_BENCH_SRC:-$root/../shared/bench}"
work="${RELAY_BENCH_WORK:-${TMPDIR:-/tmp}/relay-compare-bench}"
load=50x20x10 repeat=3 warmup=10 duration=10 port=28300 java_opts=""
jars=()
die() { echo "jars: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --load) load="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *=*) jars+=("$1"); shift ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[ "${#jars[@]}" -ge 2 ] || die "give at least two label=path.jar"
[[ "$load" =~ ^[0-9]+x[0-9]+x[0-9.]+$ ]] || die "bad load '$load'"
for j in "${jars[@]}"; do p="${j#*=}"; [ -f "${p%% *}" ] || die "no jar at ${p%% *}"; done
IFS=x read -r U P R <<<"$load"

# the same one-address overrides as run.sh (every connection comes from 127.0.0.1)
overrides="$(sed -n '/^RELAY_ONE_ADDRESS_OVERRIDES=(/,/^)/p' "$here/run.sh" | grep -o -- '-Drelay[^ ]*' | tr '\n' ' ')"
[ -n "$overrides" ] || die "could not read the overrides from run.sh"

# started on bin/jvm.options, a jar gets the malloc arena cap that bin/relay sets with it
case "$java_opts" in *jvm.options*) export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" ;; esac

mkdir -p "$work"
(cd "$src" && tar cf - --exclude=node_modules --exclude=target --exclude=results .) | (cd "$work" && tar xf -)
chmod -R u+w "$work"
lg_jar="$work/loadgen/target/loadgen.jar"
[ -f "$lg_jar" ] || (cd "$work/loadgen" && { mvn -B -o package -DskipTests >&2 || mvn -B package -DskipTests >&2; }) \
  || die "load generator build failed"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
while port_open "$port"; do port=$((port + 1)); done
mkdir -p "$here/results"
out="$here/results/jars-$(date -u +%Y%m%dT%H%MZ).jsonl"
: >"$out"
for r in $(seq 1 "$repeat"); do
  for j in "${jars[@]}"; do
    label="${j%%=*}" spec="${j#*=}"
    own_opts="" path="${spec%% *}"
    [ "$path" = "$spec" ] || own_opts="${spec#* }"
    jar="$(cd "$(dirname "$path")" && pwd)/$(basename "$path")"
    echo "jars: $(date -u +%T) round $r: $label" >&2
    line="$("$work/run-peer-compare.sh" --name "$label" --port "$port" --cwd "$root" \
      --server "java $java_opts $own_opts -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port={port} $overrides -jar $jar" \
      --timeout $((warmup + duration + 180)) --log-dir "$work/logs" -- --mode bin --login \
      --universes "$U" --players "$P" --rate "$R" --warmup "$warmup" --duration "$duration" | grep '^{' | tail -1 || true)"
    [ -n "$line" ] || line='{"error":"no output"}'
    echo "{\"label\":\"$label\",\"jar\":\"$jar\",\"opts\":\"$own_opts\",\"round\":$r,\"utc\":\"$(date -u +%FT%TZ)\",\"load\":\"$load\",${line#\{}" >>"$out"
  done
done

python3 - "$out" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
labels = list(dict.fromkeys(r["label"] for r in rows))
def figs(r):
    g = r.get("loadgen") or {}
    win, cpu = g.get("delivered_window") or 0, g.get("server_cpu_s")
    us = 1e6 * cpu / win if (cpu is not None and win) else None
    return us, (g.get("latency_ms") or {}).get("p99"), g.get("delivery_ratio")
res = {}
print(f"load {rows[0]['load']} binary, {len(rows)} runs, file {sys.argv[1]}")
print("| build | runs | delivered (min) | CPU µs/event (median) | p99 ms (median) | CPU vs first | p99 vs first |")
print("|---|---|---|---|---|---|---|")
for l in labels:
    f = [figs(r) for r in rows if r["label"] == l]
    us = [x[0] for x in f if x[0] is not None]; p99 = [x[1] for x in f if x[1] is not None]
    dl = [x[2] for x in f if x[2] is not None]
    res[l] = (statistics.median(us) if us else None, statistics.median(p99) if p99 else None)
    a, b = res[labels[0]]
    cr = f"{res[l][0] / a:.2f}×" if (a and res[l][0]) else "–"
    pr = f"{res[l][1] / b:.2f}×" if (b and res[l][1]) else "–"
    print(f"| {l} | {len(f)} | {100 * min(dl):.2f} % | {res[l][0]:.2f} | {res[l][1]:.1f} | {cr} | {pr} |" if us and p99 and dl
          else f"| {l} | {len(f)} | – | – | – | – | – |")
EOF
