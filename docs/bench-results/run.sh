#!/usr/bin/env bash
# usage: run.sh OUTFILE TAG run-peer-compare-args...   (appends one JSON line with host CPU usage added)
out="$1"; tag="$2"; shift 2
read -r _ u0 n0 s0 i0 w0 q0 sq0 st0 _ < <(head -1 /proc/stat)
t0=$(date +%s.%N)
line=$(/tmp/bench/run-peer-compare.sh "$@" 2>>/tmp/perf/runs.err | grep '^{' | tail -1)
read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < <(head -1 /proc/stat)
t1=$(date +%s.%N)
busy=$(( (u1+n1+s1+q1+sq1+st1) - (u0+n0+s0+q0+sq0+st0) ))
tot=$(( busy + (i1+w1) - (i0+w0) ))
extra=$(awk -v b="$busy" -v t="$tot" -v w0="$t0" -v w1="$t1" -v tag="$tag" -v when="$(date -u +%FT%TZ)" 'BEGIN{printf "\"tag\":\"%s\",\"utc\":\"%s\",\"host_busy_pct_of_2cores\":%.1f,\"host_cpu_s\":%.2f,\"wrap_wall_s\":%.2f", tag, when, 100*b/t, b/100, w1-w0}')
[ -n "$line" ] || line='{"error":"no output"}'
echo "{${extra},${line#\{}" | tee -a "$out"
