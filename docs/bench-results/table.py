#!/usr/bin/python3
import json, sys
def rows(f):
    for l in open(f):
        l = l.strip()
        if l.startswith("{"):
            yield json.loads(l)
def traffic(files):
    print("| tag | server | wire | U×P×R | offered ev/s | delivered ev/s | delivered | p50 ms | p99 ms | server CPU % | server µs/event | loadgen CPU % | host busy % | pinned |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    allr = [d for f in files for d in rows(f)]
    order = {"relay": 0, "ws": 1, "sio": 2}
    if SORT:
        allr.sort(key=lambda d: (order.get(d["name"], 9), (d.get("loadgen") or {}).get("expected_per_s", 0)))
    for d in [None]:
        for d in allr:
            g = d.get("loadgen") or {}
            if not g.get("expected_per_s"):
                continue
            lat = g["latency_ms"]
            us = 1e4 * g["server_cpu_pct"] / g["delivered_per_s"] if g["delivered_per_s"] else 0
            ok = g["delivery_ratio"] >= 0.999 and lat["p99"] < 50
            pin = "srv 0 / lg 1" if d.get("server_cpus") not in (None, "all") else "no"
            print("| %s | %s | %s | %d×%d×%g | %s | %s | %.2f%% | %.1f | %.1f%s | %.1f | %.2f | %.1f | %.0f | %s |" % (
                d.get("tag", ""), d["name"], g.get("mode"), g["universes"], g["players"], g["rate"],
                f"{g['expected_per_s']:,.0f}", f"{g['delivered_per_s']:,.0f}", 100 * g["delivery_ratio"],
                lat["p50"], lat["p99"], " ✓" if ok else "", g["server_cpu_pct"], us, g["loadgen_cpu_pct"],
                d.get("host_busy_pct_of_2cores", 0), pin))
def idle(files):
    print("| run | server | connections asked | connected | stayed up | RSS before connecting | RSS connected | RSS during the hold (min–max) | RSS growth / connection | server CPU in hold % | loadgen CPU % | host busy % |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for f in files:
        for d in rows(f):
            g = d.get("loadgen") or {}
            if "idle" not in g:
                continue
            print("| %s | %s | %d | %d | %d | %.0f MiB | %.0f MiB | %.0f–%.0f MiB | **%.1f KB** | %.1f | %.1f | %.0f |" % (
                d.get("tag", ""), d["name"], g["idle"], g["connected"], g["stayed_up"], g["server_rss_start_kb"] / 1024,
                g["server_rss_connected_kb"] / 1024, g["server_rss_hold_min_kb"] / 1024, g["server_rss_hold_max_kb"] / 1024,
                g["server_rss_per_conn_kb"], g.get("server_cpu_pct_hold", 0), g.get("loadgen_cpu_pct", 0),
                d.get("host_busy_pct_of_2cores", 0)))
SORT = sys.argv[1] == "sorted"
if sys.argv[1] == "idle":
    idle(sys.argv[2:])
else:
    traffic(sys.argv[2:])
