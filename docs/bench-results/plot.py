#!/usr/bin/python3
"""Plots delivered events/s and p99 latency against offered load (B sweep) for the three servers."""
import json, sys, collections
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

src, dst = sys.argv[1], sys.argv[2]
series = collections.defaultdict(list)
for line in open(src):
    line = line.strip()
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    g = d.get("loadgen") or {}
    if not g.get("expected_per_s"):
        continue
    series[d["name"]].append((g["expected_per_s"], g["delivered_per_s"], g["latency_ms"]["p99"], g["delivery_ratio"],
                              g.get("loadgen_cpu_pct", 0), d.get("host_busy_pct_of_2cores", 0)))
labels = {"relay": "Universe Relay (Java, binary)", "ws": "ws relay (Node, binary)", "sio": "Socket.IO relay (Node, JSON)"}
colors = {"relay": "tab:blue", "ws": "tab:orange", "sio": "tab:green"}
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 9), sharex=True)
mx = 0
for name in ("relay", "ws", "sio"):
    pts = sorted(series.get(name, []))
    if not pts:
        continue
    x = [p[0] / 1000 for p in pts]
    mx = max(mx, max(x))
    ax1.plot(x, [p[1] / 1000 for p in pts], "-", color=colors[name], label=labels[name])
    for p in pts:
        ok = p[3] >= 0.999 and p[2] < 50
        ax1.plot([p[0] / 1000], [p[1] / 1000], "o", color=colors[name], markerfacecolor=colors[name] if ok else "white")
    for p in pts:
        if p[3] < 0.999:
            ax1.annotate("%.0f%%" % (100 * p[3]), (p[0] / 1000, p[1] / 1000), textcoords="offset points", xytext=(4, -12),
                         fontsize=8, color=colors[name])
    ax2.plot(x, [max(p[2], 0.05) for p in pts], "-", color=colors[name], label=labels[name])
    for p in pts:
        ok = p[3] >= 0.999 and p[2] < 50
        ax2.plot([p[0] / 1000], [max(p[2], 0.05)], "o", color=colors[name], markerfacecolor=colors[name] if ok else "white")
ax1.plot([0, mx], [0, mx], ":", color="grey", label="offered (100% delivered)")
ax1.set_ylabel("delivered events/s (thousands)")
ax1.set_title(fontsize=10, label="Fan-out: 50 universes, P players x R moves/s, offered = 50·P·R·(P-1)\n"
              "filled marker = passes (>= 99.9% delivered, p99 < 50 ms); % = delivered where < 99.9%; 2 vCPU, shared with the load generator")
ax1.legend(loc="upper left", fontsize=9)
ax1.grid(alpha=0.3)
ax2.set_yscale("log")
ax2.axhline(50, color="red", linestyle="--", linewidth=1, label="p99 target 50 ms")
ax2.set_ylabel("p99 end-to-end latency (ms, log)")
ax2.set_xlabel("offered events/s (thousands)")
ax2.legend(loc="upper left", fontsize=9)
ax2.grid(alpha=0.3, which="both")
fig.tight_layout()
fig.savefig(dst, dpi=110)
print("wrote", dst)
