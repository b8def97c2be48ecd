#!/usr/bin/env bash
# The runs of docs/benchmarks/history.md "Two nodes and Redis": one node without Redis, two nodes sharing
# one Redis, and one node in redis mode (what publishing costs without a second node), at load A
# (50 x 20 x 10 moves/s, binary) and at half of it (5 moves/s), in ROUNDS interleaved rounds.
# Each run holds /tmp/bench.lock (one benchmark at a time on the shared machine) and appends its
# JSON line to OUT.
#   benchmarks/cluster/matrix.sh [OUT] [ROUNDS]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../docs/bench-results/cluster.jsonl}"
rounds="${2:-2}"
common=(--mode bin --login --universes 50 --players 20 --duration 15 --warmup 15)
run() { # tag nodes mode rate
  echo "matrix: $1 waiting for the lock at $(date -u +%T)" >&2
  flock /tmp/bench.lock "$here/run.sh" --tag "$1" --nodes "$2" --mode "$3" -- "${common[@]}" --rate "$4" >>"$out" \
    || echo "matrix: $1 failed" >&2
}
for r in $(seq 1 "$rounds"); do
  run "A-1node" 1 local 10
  run "A-2nodes-redis" 2 redis 10
  run "L-1node" 1 local 5
  run "L-2nodes-redis" 2 redis 5
  run "A-1node-redis" 1 redis 10
  run "L-1node-redis" 1 redis 5
done
