#!/usr/bin/env bash
# One benchmark run of the relay as one node or as N nodes sharing one Redis, on loopback only.
# Starts its own redis-server (redis modes) and relay nodes on free ports, waits until every node
# is ready, runs the shared load generator with this benchmark's two options (loadgen.sh builds it:
# --url a,b spreads each universe's players over the nodes, player i -> node i mod N), measures every process over the window, stops
# what it started by PID and prints one JSON line on stdout (progress on stderr).
#
#   benchmarks/cluster/run.sh --nodes 2 --mode redis --tag A-2n -- \
#       --mode bin --login --universes 50 --players 20 --rate 10 --duration 15 --warmup 15
#
# Options before --:
#   --nodes N        relay nodes (default 1)
#   --mode M         local (no Redis; only with --nodes 1) or redis (default local)
#   --tag TEXT       copied into the result line
#   --jar PATH       relay jar (default: target/relay.jar of this repository)
#   --log-dir DIR    logs of the servers and the load generator (default /tmp/cluster-bench-logs)
#   --limit S        hard limit for the load generator (default 100 s)
#   --perf AT:SECS   also count syscalls per thread (perf stat) of every node and of Redis for
#                    SECS seconds, AT seconds after the load generator's connect phase ended
#                    (warm-up + a few seconds puts it inside the measured window);
#                    written to the log dir as STAMP.perf-NAME.txt
#   --at S:CMD       run the shell command CMD S seconds after the load generator starts, with
#                    REDIS_PORT in its environment (e.g. a fault: 'redis-cli -p $REDIS_PORT client kill type pubsub')
# Everything after -- goes to the load generator; --url, --server-pid, --watch and --label are
# added here. Wrap it in `flock /tmp/bench.lock` on a shared machine (one benchmark at a time).
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
nodes=1 mode=local tag="" jar="$repo/target/relay.jar" log_dir=/tmp/cluster-bench-logs limit=100 perf="" at=""
die() { echo "cluster-bench: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --log-dir) log_dir="$2"; shift 2 ;;
    --limit) limit="$2"; shift 2 ;;
    --perf) perf="$2"; shift 2 ;;
    --at) at="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown option $1 (load generator options go after --)" ;;
  esac
done
[[ "$nodes" =~ ^[1-8]$ ]] || die "--nodes 1..8"
[ "$mode" = local ] || [ "$mode" = redis ] || die "--mode local|redis"
[ "$mode" = redis ] || [ "$nodes" = 1 ] || die "several nodes need --mode redis"
[ -f "$jar" ] || die "no jar at $jar (mvn -B -o package -DskipTests)"
lg_jar="$("$here/loadgen.sh")" || die "no load generator (see above)"
mkdir -p "$log_dir"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
stamp="$(date -u +%Y%m%dT%H%M%SZ)-${tag:-run}"

. "$here/processes.sh"
host_ticks() { awk '/^cpu /{ print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6 }' /proc/stat; } # total, idle+iowait

pids=()
stop_all() { # the nodes first (they drain), then Redis
  local p
  for p in "${pids[@]}"; do [ "$p" = "${redis_pid:-}" ] || kill -TERM "$p" 2>/dev/null; done
  local ordered=()
  for p in "${pids[@]}"; do [ "$p" = "${redis_pid:-}" ] || ordered+=("$p"); done
  [ -z "${redis_pid:-}" ] || ordered+=("$redis_pid")
  for p in "${ordered[@]}"; do
    [ "$p" = "${redis_pid:-}" ] && { kill -TERM "$p" 2>/dev/null; }
    await_stopped "$p"
  done
  pids=()
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

redis_port="" redis_pid=""
if [ "$mode" = redis ]; then
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --logfile "$log_dir/$stamp.redis.log" >/dev/null 2>&1 </dev/null &
  redis_pid=$!; pids+=("$redis_pid")
  for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 || die "redis-server did not start"
fi

secret="cluster-bench-secret-0123456789-abcdefghij"
urls=() node_pids=() node_ports=()
for n in $(seq 1 "$nodes"); do
  port=$(free_port)
  env RELAY_LIMITS_RATE=1000 RELAY_LIMITS_BURST=2000 \
      RELAY_SESSION_MAX_CONNECTIONS_PER_ADDRESS=30000 RELAY_SESSION_MAX_CONNECTIONS=30000 \
      RELAY_QUOTAS_HANDSHAKE_RATE=100000 RELAY_QUOTAS_HANDSHAKE_BURST=100000 \
      RELAY_QUOTAS_IDENTITY_HANDSHAKE_RATE=100000 RELAY_QUOTAS_IDENTITY_HANDSHAKE_BURST=100000 \
      RELAY_QUOTAS_UNIVERSES_PER_MINUTE=100000 RELAY_QUOTAS_UNIVERSES_HELD=100000 RELAY_QUOTAS_ADDRESS_PLAYER_SHARE=1 \
      RELAY_QUOTAS_LOGIN_RATE=100000 RELAY_QUOTAS_LOGIN_BURST=100000 RELAY_EDGE_MAX_PENDING_PER_ADDRESS=100000 \
      RELAY_JWT_SECRET="$secret" RELAY_CLUSTER_MODE="$mode" RELAY_CLUSTER_NODE_ID="bench-$n" \
      ${redis_port:+REDIS_URI=redis://127.0.0.1:$redis_port} \
    java -Xms1g -Xmx1g -XX:+UseSerialGC -XX:MetaspaceSize=128m \
      -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port="$port" -jar "$jar" \
      >"$log_dir/$stamp.node$n.log" 2>&1 </dev/null &
  node_pids+=("$!"); pids+=("$!"); node_ports+=("$port"); urls+=("ws://127.0.0.1:$port")
done
for i in "${!node_ports[@]}"; do
  ok=0
  for _ in $(seq 1 900); do
    if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:${node_ports[$i]}/health/readiness" 2>/dev/null; then ok=1; break; fi
    kill -0 "${node_pids[$i]}" 2>/dev/null || break
    sleep 0.1
  done
  [ "$ok" = 1 ] || die "node $((i + 1)) not ready (log: $log_dir/$stamp.node$((i + 1)).log)"
done
sleep 1
echo "cluster-bench: [$stamp] $(date -u +%T) ready: $nodes node(s), mode $mode, ports ${node_ports[*]}${redis_port:+, redis $redis_port}" >&2

watch=()
for i in "${!node_pids[@]}"; do watch+=(--watch "node$((i + 1))=${node_pids[$i]}"); done
[ -z "$redis_pid" ] || watch+=(--watch "redis=$redis_pid")
threads_cpu() { # "pid comm-without-numbers ticks" for every thread of the given processes
  local p t
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (([^ ]+ ){10})([0-9]+) ([0-9]+) .*/\1 \4 \5/' "$t/stat" 2>/dev/null \
        | awk -v pid="$p" '{ n = $0; sub(/ [0-9]+ [0-9]+$/, "", n); gsub(/[0-9]+/, "#", n); gsub(/ /, "_", n); print pid, n, $(NF-1) + $NF }'
    done
  done
}
redis_info() { [ -z "$redis_port" ] && echo "" || redis-cli -p "$redis_port" info all 2>/dev/null | tr -d '\r'; }

thr0="$(threads_cpu "${node_pids[@]}")"
if [ -n "$perf" ]; then
  perf_targets=()
  for i in "${!node_pids[@]}"; do perf_targets+=("node$((i + 1))=${node_pids[$i]}"); done
  [ -z "$redis_pid" ] || perf_targets+=("redis=$redis_pid")
  ( for _ in $(seq 1 1200); do grep -q "connect phase" "$log_dir/$stamp.loadgen.log" 2>/dev/null && break; sleep 0.1; done
    sleep "${perf%%:*}"
    echo "cluster-bench: $(date -u +%T) perf stat for ${perf#*:} s" >&2
    for t in "${perf_targets[@]}"; do
      timeout 30 perf stat --per-thread -e 'syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_read,syscalls:sys_enter_epoll_wait' \
        -p "${t#*=}" -o "$log_dir/$stamp.perf-${t%%=*}.txt" -- sleep "${perf#*:}" >/dev/null 2>&1 &
    done
    wait ) &
fi
if [ -n "$at" ]; then
  ( sleep "${at%%:*}"; echo "cluster-bench: $(date -u +%T) running: ${at#*:}" >&2
    REDIS_PORT="$redis_port" timeout 10 bash -c "${at#*:}" >&2 ) &
fi
info0="$(redis_info)"; read -r t0 i0 < <(host_ticks); wall0=$(date +%s.%N)
lg_out="$(IFS=,; timeout -k 5 "$limit" java -XX:+UseSerialGC -Xms256m -Xmx1g -Dio.netty.leakDetection.level=disabled \
  -jar "$lg_jar" --url "${urls[*]}" --server-pid "${node_pids[0]}" "${watch[@]}" --label "${tag:-run}" "$@" \
  2>"$log_dir/$stamp.loadgen.log")"
rc=$?
read -r t1 i1 < <(host_ticks); info1="$(redis_info)"
thr1="$(threads_cpu "${node_pids[@]}")"
redis_keys=""; [ -z "$redis_port" ] || redis_keys="$(redis-cli -p "$redis_port" dbsize 2>/dev/null)"
echo "cluster-bench: load generator done (rc $rc) at $(date -u +%T); stopping" >&2
stop_all
echo "cluster-bench: stopped at $(date -u +%T)" >&2
[ "$rc" = 0 ] && [ -n "$lg_out" ] || die "load generator failed (rc $rc, log $log_dir/$stamp.loadgen.log)"

THR0="$thr0" THR1="$thr1" NODE_PIDS="${node_pids[*]}" LG="$lg_out" INFO0="$info0" INFO1="$info1" TAG="$tag" NODES="$nodes" MODE="$mode" \
HOST_BUSY="$(awk -v t="$((t1 - t0))" -v i="$((i1 - i0))" 'BEGIN { printf "%.1f", (t > 0 ? 100 * (t - i) / t : -1) }')" \
WALL="$(awk -v a="$wall0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')" KEYS="$redis_keys" \
python3 - <<'EOF'
import json, os, time
r = json.loads(os.environ["LG"])
def info(text):
    d = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            k, v = line.split(":", 1)
            d[k] = v
    return d
out = {"tag": os.environ["TAG"], "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
       "nodes": int(os.environ["NODES"]), "cluster_mode": os.environ["MODE"],
       "host_busy_pct_of_2cores": float(os.environ["HOST_BUSY"]), "loadgen_wall_s": float(os.environ["WALL"])}
a, b = info(os.environ["INFO0"]), info(os.environ["INFO1"])
if b:
    # commandstats over the whole load generator run (connect, warm-up, window, drain)
    cmds = {}
    for k, v in b.items():
        if k.startswith("cmdstat_"):
            f = dict(x.split("=") for x in v.split(","))
            f0 = dict(x.split("=") for x in a[k].split(",")) if k in a else {"calls": "0", "usec": "0"}
            calls = int(f["calls"]) - int(f0["calls"])
            if calls > 0:
                cmds[k[8:]] = {"calls": calls, "usec": int(f["usec"]) - int(f0["usec"])}
    out["redis"] = {
        "commands": int(b["total_commands_processed"]) - int(a["total_commands_processed"]),
        "net_in_bytes": int(b["total_net_input_bytes"]) - int(a["total_net_input_bytes"]),
        "net_out_bytes": int(b["total_net_output_bytes"]) - int(a["total_net_output_bytes"]),
        "cpu_s": round(float(b["used_cpu_sys"]) + float(b["used_cpu_user"]) - float(a["used_cpu_sys"]) - float(a["used_cpu_user"]), 2),
        "used_memory_peak": int(b["used_memory_peak"]), "keys_at_end": int(os.environ["KEYS"] or 0),
        "commandstats": cmds}
    out["redis"]["client_recent_max_output_buffer"] = int(b.get("client_recent_max_output_buffer", 0))
def threads(text):
    d = {}
    for line in text.splitlines():
        pid, name, ticks = line.split(" ")
        d[(pid, name)] = d.get((pid, name), 0) + int(ticks)
    return d
t0, t1 = threads(os.environ["THR0"]), threads(os.environ["THR1"])
wall = float(os.environ["WALL"])
per_node = {}
for i, pid in enumerate(os.environ["NODE_PIDS"].split()):
    groups = {}
    for (p, name), v in t1.items():
        if p == pid:
            d = (v - t0.get((p, name), 0)) / 100.0
            if d > 0:
                groups[name] = round(100 * d / wall, 1)
    per_node["node%d" % (i + 1)] = dict(sorted(groups.items(), key=lambda kv: -kv[1])[:8])
out["thread_cpu_pct_whole_run"] = per_node
out.update(r)
print(json.dumps(out, separators=(",", ":")))
EOF
