#!/usr/bin/env python3
"""Markdown table of benchmarks/cluster/run.sh result lines:  table.py [--grouped] cluster.jsonl ...
--grouped: rows sorted by tag (runs of one kind together, in time order), else in file order."""
import json
import sys

args = sys.argv[1:]
grouped = "--grouped" in args
rows = [json.loads(line) for f in args if f != "--grouped" for line in open(f) if line.strip()]
if grouped:
    rows.sort(key=lambda r: (r["tag"], r["utc"]))
print("| run | UTC | nodes | U×P×R | offered ev/s | delivered ev/s | delivered | p50 ms | p99 ms | relay CPU % (per node) "
      "| relay CPU % total | relay µs/event | Redis CPU % | Redis µs/move | Redis cmds/move | loadgen CPU % | host busy % |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    w = r["watched"]
    nodes = [w[k]["cpu_pct"] for k in sorted(w) if k.startswith("node")]
    total = sum(nodes)
    moves = r["sent_per_s"]
    redis = w.get("redis")
    lat = r["latency_ms"]
    ok = " ✓" if r["delivery_ratio"] >= 0.999 and lat["p99"] < 50 else ""
    mode = "1 (local)" if r["cluster_mode"] == "local" else f'{r["nodes"]} (redis)'
    cmds = r["redis"]["commands"] / r["sent_total"] if "redis" in r else None
    print("| {} | {} | {} | {}×{}×{:g} | {:,.0f} | {:,.0f} | {:.2f}% | {:.1f} | {:.1f}{} | {} | {:.1f} | {:.2f} | {} | {} | {} | {:.1f} | {:.0f} |".format(
        r["tag"], r["utc"][11:16], mode, r["universes"], r["players"], r["rate"], r["expected_per_s"], r["delivered_per_s"],
        100 * r["delivery_ratio"], lat["p50"], lat["p99"], ok, " + ".join(f"{c:.1f}" for c in nodes), total,
        total * 1e4 / r["delivered_per_s"],
        f'{redis["cpu_pct"]:.1f}' if redis else "–",
        f'{redis["cpu_pct"] * 1e4 / moves:.2f}' if redis else "–",
        f"{cmds:.2f}" if cmds else "–",
        r["loadgen_cpu_pct"], r["host_busy_pct_of_2cores"]))
