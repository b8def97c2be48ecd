#!/usr/bin/env python3
"""Markdown table of interest benchmark runs: python3 table.py [--sorted] RESULTS.jsonl [...]

--sorted: by interest (off first), players and time, without the runs labelled "before" (older builds).

One row per JSON line printed by run.sh. Pass (✓) = every pilot connected and still connected at
the end, >= 99.9 % of the velocities delivered (no sequence gaps) and p99 < 50 ms.
"""
import json
import sys


def passes(d):
    lat = d["latency_ms"]
    return (d["ready"] == d["players"] and d["open_at_end"] == d["players"]
            and (d["delivery_ratio"] or 0) >= 0.999 and lat.get("p99") is not None and lat["p99"] < 50)


def fmt(v, digits=0):
    return "-" if v is None else f"{v:,.{digits}f}"


args = sys.argv[1:]
by_load = "--sorted" in args
rows = []
for path in [a for a in args if a != "--sorted"]:
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            rows.append(json.loads(line))

if by_load:
    rows = sorted((d for d in rows if d.get("label") != "before"),
                  key=lambda d: (d["universe"].startswith("open-"), d["players"], d.get("utc", "")))

print("| UTC | universe | interest | players | others shown | moves/s | delivered events/s | bytes/s | delivered | p50 ms | p99 ms | p99.9 ms "
      "| server CPU % | server µs/event | sweep ms (mean/max) | loadgen CPU % | host busy % | closed | pass |")
print("|" + "---|" * 19)
for d in rows:
    lat = d["latency_ms"]
    s = d["server"]
    on = d["universe"].startswith("open-")
    ev = d["events_per_s"]
    closed = d["players"] - d["open_at_end"]
    closes = ", ".join(f"{k}: {v}" for k, v in d["closes"].items()) or \
        ", ".join(f"{k}: {v}" for k, v in d.get("connect_failures", {}).items()) or "0"
    flush = {"flush20": " (flush 20 ms)", "pending4m": " (pending 4 MiB)", "before": " (build afc237d)"}.get(d.get("label"), "")
    print(f"| {d.get('utc', '')[11:16]} | {d['universe']}{flush} | {'on' if on else 'off'} | {d['players']:,} | {d['others_shown_mean']:.1f} "
          f"| {fmt(d['moves_per_s'])} | {fmt(ev)} | {fmt(d['bytes_per_s'] / 1e6, 2)} M | {100 * (d['delivery_ratio'] or 0):.2f}% "
          f"| {fmt(lat.get('p50'), 1)} | {fmt(lat.get('p99'), 1)} | {fmt(lat.get('p999'), 1)} | {d['server_cpu_pct']:.0f} "
          f"| {10000 * d['server_cpu_pct'] / ev if ev else 0:.2f} "
          f"| {fmt(s['sweep_mean_ms'], 1) + ' / ' + fmt(s['sweep_max_ms'], 0) if on else '-'} "
          f"| {d['loadgen_cpu_pct']:.0f} | {d['host_busy_pct_of_2cores']:.0f} | {closed if closed else 0}{' (' + closes + ')' if closed else ''} "
          f"| {'✓' if passes(d) else '✗'} |")
