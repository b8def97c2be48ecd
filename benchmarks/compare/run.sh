#!/usr/bin/env bash
# The side-by-side benchmark: this relay, Bun (uWebSockets), Node `ws` and Socket.IO under the same
# loads on this machine, over loopback, measured by the shared harness (../shared/bench: load
# generator and reference relays). One command, from anywhere in the repository:
#
#   benchmarks/compare/run.sh                 # the whole matrix: 9 min on a quiet 2-core machine, 14 busy
#   benchmarks/compare/run.sh --quick         # a smoke version, under 3 minutes; touches no docs
#   benchmarks/compare/run.sh --loads 50x20x10 --servers relay,bun
#
# Writes benchmarks/compare/results/<utc>-<commit>.jsonl (one JSON line per run, as printed by
# run-peer-compare.sh plus the scenario, the time and the host's CPU use) and .md (the headline
# table), docs/images/compare.svg (delivered events/s and p99 against load) and splices the table
# into docs/performance.md between <!-- headline:start --> and <!-- headline:end -->.
# --quick writes under benchmarks/compare/results/quick/ and leaves the docs alone.
#
# Options:
#   --quick               one load (50x20x5), 3 s warm-up, 5 s measured, 2,000 idle connections held 12 s
#   --loads LIST          comma-separated UxPxR (universes x players x moves/s); default
#                         50x20x5,50x20x10,50x30x10; "none" runs no traffic load
#   --servers LIST        comma-separated from relay,bun,ws,sio (default: all four)
#   --warmup S --duration S   per traffic run (default 10 and 10)
#   --idle N --idle-universes U --idle-hold S   the idle-memory run (default 10000, 100, 35); --idle 0: none
#   --repeat N            runs of each (server, load) pair, each with a fresh server (default 1)
#   --pin                 server on CPU 0, load generator on CPU 1 (default: not pinned)
#   --no-docs             do not touch docs/ (the results files are still written)
#   --build               rebuild target/relay.jar first (otherwise it is built only when missing)
#   --port P              first port to try (default 28190)
# Environment: RELAY_BENCH_SRC (the shared harness, default <repo>/../shared/bench, read only),
#   RELAY_BENCH_WORK (a writable copy with node_modules and the load generator's jar, default
#   ${TMPDIR:-/tmp}/relay-compare-bench).
#
# Loopback only; every run is bounded in time and stops the server it started (by PID).
set -euo pipefail

orig_args="$*"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
src="${RELAY_BENCH_SRC:-$root/../shared/bench}"
work="${RELAY_BENCH_WORK:-${TMPDIR:-/tmp}/relay-compare-bench}"

# ---------------------------------------------------------------------------------------------
# The relay, started as README.md says (bin/relay: target/relay.jar on the JVM settings of
# bin/jvm.options), plus what a benchmark run needs. RELAY_JVM_OPTIONS= (empty) in the environment
# runs it on the JVM's defaults instead (plain java -jar), for a before/after of those settings. RELAY_LISTEN: where it listens ({port} is filled in by run-peer-compare.sh; loopback only,
# like the peers). RELAY_ONE_ADDRESS_OVERRIDES: the limits that a load from ONE client address
# (every connection and login of the load generator comes from 127.0.0.1) would hit and that real
# players, spread over many addresses, would not. Nothing else is tuned (default JVM, default heap).
# When a new per-address limit lands, add one line here, raised to what the loads below need:
# up to 10,000 connections and guest logins from 127.0.0.1 within a few seconds, 100 players per
# universe, 10 moves/s per connection.
RELAY_LISTEN=(-Dmicronaut.server.host=127.0.0.1 '-Dmicronaut.server.port={port}')
RELAY_ONE_ADDRESS_OVERRIDES=(
  -Drelay.session.max-connections-per-address=30000  # default 256: all connections come from 127.0.0.1
  -Drelay.limits.rate=1000                           # per connection, as the peers' RELAY_RATE below
  -Drelay.limits.burst=2000                          # per connection, as the peers' RELAY_BURST below
  -Drelay.edge.max-pending-per-address=30000         # default 32: the generator opens connections in parallel
  -Drelay.quotas.handshake-rate=100000              # default 20/s per address: 10,000 handshakes from 127.0.0.1
  -Drelay.quotas.handshake-burst=100000             # default 60
  -Drelay.quotas.login-rate=100000                  # default 5/s per address: one guest login per connection
  -Drelay.quotas.login-burst=100000                 # default 20
  -Drelay.quotas.universes-per-minute=100000        # default 20 per address: the loads create 50 to 100 universes
  -Drelay.quotas.universes-held=100000              # default 50 per address
  -Drelay.quotas.address-player-share=1             # default 1/4 of a universe's slots: all players share one address
  -Drelay.quotas.identity-handshake-rate=100000     # default 5/s per identity (guest logins give one identity per connection; kept for tokens reused)
  -Drelay.quotas.identity-handshake-burst=100000
  -Drelay.limits.max-players-per-universe=1000       # default 100: the idle run puts 198 connections in each of 100 universes
)
# The peers' rate limit (per connection; their default is the spec's 30/s, burst 60).
PEER_ENV=(--env RELAY_RATE=1000 --env RELAY_BURST=2000)
# ---------------------------------------------------------------------------------------------

quick=0 loads="" servers="relay,bun,ws,sio" warmup="" duration="" idle="" idle_u="" idle_hold=""
repeat=1 pin=0 docs=1 build=0 port=28190
die() { echo "compare: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --loads) loads="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --idle) idle="$2"; shift 2 ;;
    --idle-universes) idle_u="$2"; shift 2 ;;
    --idle-hold) idle_hold="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --pin) pin=1; shift ;;
    --no-docs) docs=0; shift ;;
    --build) build=1; shift ;;
    --port) port="$2"; shift 2 ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
if [ "$quick" = 1 ]; then
  : "${loads:=50x20x5}" "${warmup:=3}" "${duration:=5}" "${idle:=2000}" "${idle_u:=20}" "${idle_hold:=12}"
  docs=0
else
  : "${loads:=50x20x5,50x20x10,50x30x10}" "${warmup:=10}" "${duration:=10}" "${idle:=10000}" "${idle_u:=100}" "${idle_hold:=35}"
fi
[ "$loads" = none ] && loads=""
IFS=, read -r -a load_list <<<"$loads"
IFS=, read -r -a server_list <<<"$servers"
for l in "${load_list[@]}"; do [[ "$l" =~ ^[0-9]+x[0-9]+x[0-9.]+$ ]] || die "bad load '$l' (want UxPxR, e.g. 50x20x10)"; done
for s in "${server_list[@]}"; do case "$s" in relay|bun|ws|sio) ;; *) die "unknown server '$s'" ;; esac; done
for n in "$warmup" "$duration" "$idle" "$idle_u" "$idle_hold" "$repeat" "$port"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "not a whole number: $n"
done
[ -f "$src/run-peer-compare.sh" ] || die "no harness at $src (set RELAY_BENCH_SRC)"

log() { echo "compare: $(date -u +%T) $*" >&2; }

# ---- the harness: a writable copy, peers installed, load generator built ----------------------
mkdir -p "$work"
(cd "$src" && tar cf - --exclude=node_modules --exclude=target --exclude=results .) | (cd "$work" && tar xf -)
chmod -R u+w "$work"
for s in "${server_list[@]}"; do
  case "$s" in bun) p=bun-relay ;; ws) p=ws-relay ;; sio) p=socketio-relay ;; *) continue ;; esac
  if [ ! -d "$work/peers/$p/node_modules" ]; then
    log "npm ci in peers/$p"
    (cd "$work/peers/$p" && npm ci --no-audit --no-fund >&2) || die "npm ci failed in $work/peers/$p"
  fi
done
[ ! -d "$work/peers/bun-relay/node_modules" ] || [ -x "$work/peers/bun-relay/node_modules/.bin/bun" ] \
  || die "npm ci in peers/bun-relay did not install node_modules/.bin/bun"
lg_jar="$work/loadgen/target/loadgen.jar"
if [ ! -f "$lg_jar" ] || [ -n "$(find "$work/loadgen/src" "$work/loadgen/pom.xml" -newer "$lg_jar" -print -quit)" ]; then
  log "building the load generator"
  (cd "$work/loadgen" && { mvn -B -o package -DskipTests >&2 || mvn -B package -DskipTests >&2; }) \
    || die "load generator build failed"
fi

# ---- the relay's jar ---------------------------------------------------------------------------
if [ "$build" = 1 ] || [ ! -f "$root/target/relay.jar" ]; then
  log "building target/relay.jar (mvn -B -o package -DskipTests)"
  (cd "$root" && mvn -B -o package -DskipTests >&2) || die "relay build failed"
fi
newer="$(cd "$root" && find src/main pom.xml -newer target/relay.jar -print -quit)"
[ -z "$newer" ] || log "warning: target/relay.jar is older than $newer (rebuild with --build)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git -C "$root" status --porcelain -- src pom.xml 2>/dev/null)" ] || commit="$commit-dirty"

# ---- output files ------------------------------------------------------------------------------
stamp="$(date -u +%Y%m%dT%H%MZ)"
if [ "$quick" = 1 ]; then outdir="$here/results/quick"; else outdir="$here/results"; fi
mkdir -p "$outdir"
jsonl="$outdir/$stamp-$commit.jsonl"
: >"$jsonl"

# a free port (run-peer-compare.sh refuses a port that already accepts)
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
while port_open "$port"; do port=$((port + 1)); done

pin_args=(); [ "$pin" = 0 ] || pin_args=(--server-cpus 0 --loadgen-cpus 1)

server_cwd() { # $1 = relay|bun|ws|sio -> the directory the server starts in
  case "$1" in
    relay) echo "$root" ;; bun) echo "$work/peers/bun-relay" ;;
    ws) echo "$work/peers/ws-relay" ;; sio) echo "$work/peers/socketio-relay" ;;
  esac
}
server_cmd() { # $1 = relay|bun|ws|sio -> the command that starts it
  case "$1" in
    relay) echo "bin/relay ${RELAY_LISTEN[*]} ${RELAY_ONE_ADDRESS_OVERRIDES[*]}" ;;
    bun) echo "node_modules/.bin/bun server.js" ;;
    ws|sio) echo "node server.js" ;;
  esac
}
wire_args() { # the wire each server is loaded with: binary, JSON for Socket.IO (its README)
  if [ "$1" = sio ]; then echo "--target socketio"; else echo "--mode bin"; fi
}

cpu_stat() { head -1 /proc/stat | awk '{ b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6 }'; }

run_one() { # $1 server, $2 scenario tag, $3 timeout s, rest: load generator args
  local s="$1" scenario="$2" tmo="$3"; shift 3
  local b0 t0 b1 t1 line extra
  local env=(); [ "$s" = relay ] || env=("${PEER_ENV[@]}")
  log "$scenario: $s"
  read -r b0 t0 < <(cpu_stat)
  line="$("$work/run-peer-compare.sh" --name "$s" --port "$port" --cwd "$(server_cwd "$s")" --server "$(server_cmd "$s")" "${env[@]}" \
            "${pin_args[@]}" --timeout "$tmo" --log-dir "$work/logs" -- "$@" | grep '^{' | tail -1 || true)"
  read -r b1 t1 < <(cpu_stat)
  [ -n "$line" ] || line='{"error":"no output from run-peer-compare.sh"}'
  extra="$(awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" -v sc="$scenario" -v srv="$s" -v c="$commit" \
             -v when="$(date -u +%FT%TZ)" -v n="$(nproc)" \
             'BEGIN { printf "\"scenario\":\"%s\",\"server\":\"%s\",\"commit\":\"%s\",\"utc\":\"%s\",\"host_cores\":%d,\"host_busy_pct\":%.1f", sc, srv, c, when, n, (t > 0 ? 100 * b / t : 0) }')"
  echo "{$extra,${line#\{}" >>"$jsonl"
  python3 "$here/report.py" --brief "$jsonl" >&2 || true
}

t_start=$(date +%s)
log "results: $jsonl (port $port; relay at $commit)"
for r in $(seq 1 "$repeat"); do
  for l in "${load_list[@]}"; do
    IFS=x read -r U P R <<<"$l"
    for s in "${server_list[@]}"; do
      # shellcheck disable=SC2046
      run_one "$s" "$l" $((warmup + duration + 180)) $(wire_args "$s") --login \
        --universes "$U" --players "$P" --rate "$R" --warmup "$warmup" --duration "$duration"
    done
  done
  if [ "$idle" -gt 0 ]; then
    for s in "${server_list[@]}"; do
      # shellcheck disable=SC2046
      run_one "$s" "idle" $((idle_hold + 240)) $(wire_args "$s") --login \
        --idle "$idle" --universes "$idle_u" --duration "$idle_hold" --connect-timeout 150
    done
  fi
done
log "matrix done in $(( $(date +%s) - t_start )) s"

# ---- the table, the chart, the docs ------------------------------------------------------------
md="${jsonl%.jsonl}.md"
svg="${jsonl%.jsonl}.svg"
versions="$(java -version 2>&1 | head -1 | sed 's/"//g'), Node $(node --version 2>/dev/null || echo ?)"
[ ! -x "$work/peers/bun-relay/node_modules/.bin/bun" ] || versions="$versions, Bun $("$work/peers/bun-relay/node_modules/.bin/bun" --version)"
report=(python3 "$here/report.py" "$jsonl" --versions "$versions" --md "$md" --svg "$svg" --command "benchmarks/compare/run.sh${orig_args:+ $orig_args}")
if [ "$docs" = 1 ]; then
  report+=(--splice "$root/docs/performance.md" --svg-copy "$root/docs/images/compare.svg")
fi
"${report[@]}"
log "wrote $jsonl, $md, $svg"
[ "$docs" = 0 ] || log "updated docs/performance.md (headline table) and docs/images/compare.svg"
