#!/usr/bin/env bash
# Runs a command and prints the CPU the relay process used meanwhile, for the README's table.
#
#   bash load-tests/measure-cpu.sh RELAY_PID mvn -B -f load-tests/pom.xml gatling:test ...
#
# Reads utime + stime of RELAY_PID from /proc/PID/stat (fields 14 and 15, clock ticks) once a
# second, so it works without sysstat. Prints the total, and the average over the load window
# (from the first to the last second in which the relay used more than 2 % of a core), which
# leaves out Maven's and Gatling's start-up. 100 % = one core busy.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 RELAY_PID COMMAND..." >&2; exit 2; }
PID=$1; shift
HZ=$(getconf CLK_TCK)
SAMPLES=$(mktemp)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat" 2>/dev/null || echo 0; }

( prev=$(cpu_ticks)
  for _ in $(seq 1 3600); do  # at most an hour
    sleep 1
    cur=$(cpu_ticks)
    echo "$((cur - prev))" >>"$SAMPLES"
    prev=$cur
  done ) &
SAMPLER=$!

status=0
"$@" || status=$?
sleep 1
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true

awk -v hz="$HZ" -v pid="$PID" '
  { t[NR] = $1; total += $1 }
  $1 > 0.02 * hz { if (!first) first = NR; last = NR }
  END {
    busy = 0; for (i = first; i <= last && first; i++) busy += t[i]
    secs = first ? last - first + 1 : 0
    printf "relay pid %s: %.1f s CPU in %d s; load window %d s at %.0f %% of one core (peak second %.0f %%)\n",
      pid, total / hz, NR, secs, secs ? 100 * busy / hz / secs : 0, 100 * max() / hz
  }
  function max(   m, i) { for (i in t) if (t[i] > m) m = t[i]; return m }' "$SAMPLES"
rm -f "$SAMPLES"
exit "$status"
