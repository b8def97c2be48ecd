#!/usr/bin/env python3
"""Tables and chart of benchmarks/compare/run.sh's results (standard library only, no network).

    report.py RESULTS.jsonl --md OUT.md --svg OUT.svg [--splice docs/performance.md]
              [--svg-copy docs/images/compare.svg] [--command CMD] [--versions TEXT]
    report.py --brief RESULTS.jsonl      # one line about the last run, for the progress log

Figures, all from the load generator's measured window (its "loadgen" object), not from the
whole run: CPU per delivered event = server CPU seconds in the window / events delivered in the
window; p99 = end-to-end latency of the deliveries of moves sent in the window; idle memory =
(median RSS during the hold - RSS before connecting) / connections that stayed up.
"""
import argparse
import json
import math
import os
import re
import statistics
import sys

SERVERS = ["relay", "bun", "ws", "sio"]
NAMES = {"relay": "this relay", "bun": "Bun", "ws": "Node ws", "sio": "Socket.IO"}
COLORS = {"relay": "#d62728", "bun": "#1f77b4", "ws": "#2ca02c", "sio": "#9467bd"}
START, END = "<!-- headline:start -->", "<!-- headline:end -->"


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def lg(d):
    return d.get("loadgen") or {}


def traffic_figures(d):
    """dict of the traffic figures of one run, or None when it produced none"""
    g = lg(d)
    if not g.get("expected_per_s") or "latency_ms" not in g:
        return None
    win = g.get("delivered_window") or 0
    cpu_s = g.get("server_cpu_s")
    return {
        "offered": g["expected_per_s"],
        "delivered": g.get("delivered_per_s", 0),
        "ratio": g.get("delivery_ratio") or 0,
        "p50": g["latency_ms"].get("p50"),
        "p99": g["latency_ms"].get("p99"),
        "us": (1e6 * cpu_s / win) if (cpu_s is not None and win) else None,
        "srv_pct": g.get("server_cpu_pct"),
        "lg_pct": g.get("loadgen_cpu_pct"),
        "host": d.get("host_busy_pct"),
        "failed": g.get("failed", 0),
        "connect": g.get("connect_s"),
        "mode": g.get("mode"),
    }


def idle_figures(d):
    g = lg(d)
    if "idle" not in g:
        return None
    return {
        "asked": g["idle"], "up": g.get("stayed_up", 0), "kb": g.get("server_rss_per_conn_kb"),
        "rss_start": g.get("server_rss_start_kb"), "rss_hold": g.get("server_rss_kb"),
        "srv_pct": g.get("server_cpu_pct_hold"), "host": d.get("host_busy_pct"),
        "universes": g.get("universes"), "hold": g.get("duration_s"), "mode": g.get("mode"),
        "connect": g.get("connect_s"),
    }


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def merge(figs):
    """median over repeated runs of one (scenario, server)"""
    figs = [f for f in figs if f]
    if not figs:
        return None
    return {k: (med([f[k] for f in figs]) if isinstance(figs[0][k], (int, float)) or figs[0][k] is None
                else figs[0][k]) for k in figs[0]}


def group(rows):
    """scenarios in order of offered load (idle last) -> server -> merged figures"""
    by = {}
    for d in rows:
        sc, srv = d.get("scenario"), d.get("server")
        if not sc or not srv:
            continue
        by.setdefault(sc, {}).setdefault(srv, []).append(d)
    out = {}
    for sc, servers in by.items():
        f = idle_figures if sc == "idle" else traffic_figures
        out[sc] = {s: merge([f(d) for d in runs]) for s, runs in servers.items()}
    def key(sc):
        if sc == "idle":
            return (1, 0)
        u, p, r = (float(x) for x in sc.split("x"))
        return (0, u * p * r * (p - 1))
    return dict(sorted(out.items(), key=lambda kv: key(kv[0])))


def num(v, digits=0):
    return "–" if v is None else f"{v:,.{digits}f}"


def ms(v):
    if v is None:
        return "–"
    return f"{v:,.1f} ms" if v < 1000 else f"{v / 1000:,.1f} s"


def short(f):
    """fewer events than offered: lost by the server (ratio), or moves the load generator could not send in
    time (skipped sends: it shares the cores with the server) or sent to players not there"""
    return f["ratio"] < 0.999 or f["delivered"] < 0.999 * f["offered"]


def ok(f):
    return f and not short(f) and f["p99"] is not None and f["p99"] < 50


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def scenario_label(sc):
    u, p, r = sc.split("x")
    return f"{u}×{p}×{r}"


def machine():
    model, mhz = "?", None
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name") and model == "?":
                model = line.split(":", 1)[1].strip()
            if line.startswith("cpu MHz") and mhz is None:
                mhz = float(line.split(":", 1)[1])
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1048576:.0f} GiB"
    except OSError:
        pass
    cpu = model + (f" at {mhz:.0f} MHz" if mhz else "")
    return os.cpu_count(), cpu, mem


def header_line(rows, versions):
    n, cpu, mem = machine()
    utc = [d.get("utc") for d in rows if d.get("utc")]
    when = f"{utc[0][:10]} {utc[0][11:16]}–{utc[-1][11:16]} UTC" if utc else "?"
    commit = next((d.get("commit") for d in rows if d.get("commit")), "?")
    busy = med([d.get("host_busy_pct") for d in rows])
    pinned = any(d.get("server_cpus") not in (None, "all") for d in rows)
    s = (f"Machine: {n} cores (`nproc`), {cpu}, {mem} RAM; {when}; relay at `{commit}`"
         f"{'; ' + versions if versions else ''}; server and load generator "
         f"{'pinned to one core each' if pinned else 'sharing all cores'}; "
         f"host busy (all processes, median over runs) {num(busy)} %.")
    return s


def headline(groups):
    lines = ["| scenario (universes × players × moves/s) | delivered/s | this relay: CPU µs/event, p99 "
             "| Bun | Node ws | Socket.IO | relay/Bun CPU | relay/Bun p99 |",
             "|---|---|---|---|---|---|---|---|"]
    for sc, by in groups.items():
        if sc == "idle":
            continue
        figs = [by.get(s) for s in SERVERS]
        offered = next((f["offered"] for f in figs if f), None)
        cells = []
        for f in figs:
            if f is None:
                cells.append("–")
                continue
            c = f"{num(f['us'], 2)} µs, {ms(f['p99'])}"
            if short(f):
                c += f" (delivered {num(f['delivered'])}/s" + (
                    f", {100 * f['ratio']:.1f} % of what was sent)" if f["ratio"] < 0.999 else ")")
            cells.append(("**" + c + "**") if ok(f) else c)
        r, b = by.get("relay"), by.get("bun")
        lines.append(f"| {scenario_label(sc)} | {num(offered)} | " + " | ".join(cells) +
                     f" | {ratio(r and r['us'], b and b['us'])} | {ratio(r and r['p99'], b and b['p99'])} |")
    by = groups.get("idle")
    if by:
        figs = [by.get(s) for s in SERVERS]
        first = next(f for f in figs if f)
        cells = []
        for f in figs:
            if f is None:
                cells.append("–")
                continue
            c = f"{num(f['kb'], 1)} KB RSS per connection"
            if f["up"] < f["asked"]:
                c += f" ({num(f['up'])} of {num(f['asked'])} stayed up)"
            cells.append(c)
        r, b = by.get("relay"), by.get("bun")
        lines.append(f"| idle: {num(first['asked'])} connections in {first['universes']} universes, "
                     f"held {first['hold']:.0f} s | – | " + " | ".join(cells) +
                     f" | {ratio(r and r['kb'], b and b['kb'])} (memory) | – |")
    return "\n".join(lines)


def details(groups):
    lines = ["| scenario | server | wire | offered ev/s | delivered ev/s | delivered | p50 | p99 "
             "| server CPU % | µs/event | loadgen CPU % | host busy % | logins + connects |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for sc, by in groups.items():
        if sc == "idle":
            continue
        for s in SERVERS:
            f = by.get(s)
            if not f:
                continue
            lines.append(f"| {scenario_label(sc)} | {NAMES[s]} | {f['mode']} | {num(f['offered'])} "
                         f"| {num(f['delivered'])} | {100 * f['ratio']:.2f} % | {ms(f['p50'])} "
                         f"| {ms(f['p99'])}{' ✓' if ok(f) else ''} | {num(f['srv_pct'])} | {num(f['us'], 2)} "
                         f"| {num(f['lg_pct'])} | {num(f['host'])} | {num(f['connect'], 1)} s |")
    by = groups.get("idle")
    if by:
        lines += ["", "| idle | server | connections up / asked | RSS before connecting | RSS during the hold "
                  "| RSS per connection | server CPU in hold % | host busy % | logins + connects |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for s in SERVERS:
            f = by.get(s)
            if not f:
                continue
            mib = lambda kb: "–" if kb is None else f"{kb / 1024:,.0f} MiB"
            lines.append(f"| idle | {NAMES[s]} | {num(f['up'])} / {num(f['asked'])} | {mib(f['rss_start'])} "
                         f"| {mib(f['rss_hold'])} | {num(f['kb'], 1)} KB | {num(f['srv_pct'], 1)} | {num(f['host'])} | {num(f['connect'], 1)} s |")
    return "\n".join(lines)


def markdown(rows, groups, command, versions):
    return "\n".join([
        header_line(rows, versions), "",
        headline(groups), "",
        "CPU µs/event: server CPU time in the measured window per delivered event (lower is better); "
        "p99: end-to-end latency, send to receipt, of the moves sent in the window. **Bold**: "
        "≥ 99.9 % of the offered events delivered and p99 < 50 ms. Ratios below 1 favour this relay. "
        "\"Logins + connects\": the load generator's set-up phase, one guest login (`POST /api/login`) "
        "and one WebSocket handshake per connection, 200 at a time; the relay signs and verifies a "
        "JWT for each, the peers accept any token.", "",
        f"Reproduce: `{command}` (raw lines: `benchmarks/compare/results/`).", "",
        "<details><summary>Every figure of these runs</summary>", "",
        details(groups), "", "</details>",
    ]) + "\n"


# ------------------------------------------------------------------------------------ chart

def svg_chart(rows, groups):
    traffic = [(sc, by) for sc, by in groups.items() if sc != "idle"]
    W, H = 960, 420
    panel_w, panel_h, top, left0, gap = 370, 270, 70, 90, 110
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    commit = next((d.get("commit") for d in rows if d.get("commit")), "?")
    utc = next((d.get("utc") for d in rows if d.get("utc")), "?")
    n, cpu, mem = machine()
    out.append(f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">'
               'Delivered events/s and p99 latency against offered load</text>')
    out.append(f'<text x="{W / 2}" y="40" text-anchor="middle" fill="#555">{esc(cpu)}, {n} cores, {mem}; '
               f'relay {esc(commit)}, {esc(utc[:16].replace("T", " "))} UTC; server and load generator share the machine</text>')
    if not traffic:
        out.append('<text x="20" y="100">no traffic runs</text></svg>')
        return "\n".join(out) + "\n"
    offered = [max((f["offered"] for f in by.values() if f), default=0) for _, by in traffic]
    xmax = nice(max(offered) * 1.08)
    delivered = [f["delivered"] for _, by in traffic for f in by.values() if f]
    ymax = nice(max(delivered + offered) * 1.08)
    p99s = [f["p99"] for _, by in traffic for f in by.values() if f and f["p99"]]
    lo = 10 ** math.floor(math.log10(max(min(p99s), 0.1))) if p99s else 0.1
    hi = 10 ** math.ceil(math.log10(max(p99s))) if p99s else 10
    if hi <= lo:
        hi = lo * 10

    def panel(x0, title, ylabel, yfun, yticks, key):
        out.append(f'<text x="{x0 + panel_w / 2}" y="{top - 10}" text-anchor="middle" font-weight="bold">{title}</text>')
        out.append(f'<rect x="{x0}" y="{top}" width="{panel_w}" height="{panel_h}" fill="none" stroke="#999"/>')
        for v, label in yticks:
            y = top + panel_h - yfun(v) * panel_h
            out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + panel_w}" y2="{y:.1f}" stroke="#eee"/>')
            out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
        for (sc, _), off in zip(traffic, offered):
            x = x0 + off / xmax * panel_w
            out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + panel_h}" stroke="#eee"/>')
            out.append(f'<text x="{x:.1f}" y="{top + panel_h + 16}" text-anchor="middle">{off / 1000:,.0f}k</text>')
            out.append(f'<text x="{x:.1f}" y="{top + panel_h + 30}" text-anchor="middle" fill="#777">'
                       f'{scenario_label(sc)}</text>')
        out.append(f'<text x="{x0 + panel_w / 2}" y="{top + panel_h + 48}" text-anchor="middle">'
                   'offered events/s (universes × players × moves/s)</text>')
        out.append(f'<text transform="translate({x0 - 62},{top + panel_h / 2}) rotate(-90)" '
                   f'text-anchor="middle">{ylabel}</text>')
        for s in SERVERS:
            pts = [(x0 + f["offered"] / xmax * panel_w, top + panel_h - yfun(f[key]) * panel_h)
                   for _, by in traffic for f in [by.get(s)] if f and f[key] is not None]
            if not pts:
                continue
            # this relay drawn first and wider, so that a peer on the same points leaves it visible
            out.append(f'<polyline fill="none" stroke="{COLORS[s]}" stroke-width="{5 if s == "relay" else 2}" points="'
                       + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
            for x, y in pts:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{5 if s == "relay" else 3.5}" fill="{COLORS[s]}"/>')

    lin = lambda v: max(0.0, min(1.0, v / ymax))
    step = ymax / 5
    panel(left0, "delivered events/s", "events/s", lin,
          [(step * i, f"{step * i / 1000:,.0f}k") for i in range(6)], "delivered")
    # the offered line: what a server that delivers everything reaches
    x0 = left0
    out.append(f'<line x1="{x0}" y1="{top + panel_h}" x2="{x0 + panel_w}" '
               f'y2="{top + panel_h - lin(xmax) * panel_h:.1f}" stroke="#bbb" stroke-dasharray="4 4"/>')
    logf = lambda v: max(0.0, min(1.0, (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))))
    ticks, v = [], lo
    while v <= hi * 1.0001:
        ticks.append((v, f"{v:g} ms" if v < 1000 else f"{v / 1000:g} s"))
        v *= 10
    x1 = left0 + panel_w + gap
    panel(x1, "p99 latency (log scale)", "p99, send to receipt", logf, ticks, "p99")
    y50 = top + panel_h - logf(50) * panel_h
    if lo < 50 < hi:
        out.append(f'<line x1="{x1}" y1="{y50:.1f}" x2="{x1 + panel_w}" y2="{y50:.1f}" stroke="#bbb" '
                   'stroke-dasharray="4 4"/>')
        out.append(f'<text x="{x1 + panel_w - 4}" y="{y50 - 4:.1f}" text-anchor="end" fill="#999">50 ms</text>')
    lx = left0
    for s in SERVERS:
        if not any(by.get(s) for _, by in traffic):
            continue
        out.append(f'<rect x="{lx}" y="{H - 22}" width="14" height="4" fill="{COLORS[s]}"/>')
        out.append(f'<text x="{lx + 20}" y="{H - 16}">{NAMES[s]}</text>')
        lx += 130
    out.append(f'<text x="{lx + 10}" y="{H - 16}" fill="#999">dashed: delivered = offered</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def nice(v):
    if v <= 0:
        return 1
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * e >= v:
            return m * e
    return 10 * e


def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ------------------------------------------------------------------------------------ main

def brief(rows):
    d = rows[-1]
    srv, sc = d.get("server", "?"), d.get("scenario", "?")
    if d.get("error") or not lg(d):
        return f"  {srv} {sc}: no result ({d.get('error', 'load generator gave no report')})"
    f = idle_figures(d) if sc == "idle" else traffic_figures(d)
    if f is None:
        return f"  {srv} {sc}: no figures (loadgen rc {d.get('loadgen_rc')})"
    if sc == "idle":
        return (f"  {srv} idle: {f['up']}/{f['asked']} up, {num(f['kb'], 1)} KB per connection, "
                f"host {num(f['host'])} %")
    return (f"  {srv} {sc}: {num(f['delivered'])}/s ({100 * f['ratio']:.2f} %), p99 {ms(f['p99'])}, "
            f"{num(f['us'], 2)} µs/event, server {num(f['srv_pct'])} %, loadgen {num(f['lg_pct'])} %, "
            f"host {num(f['host'])} %")


def splice(doc, md):
    text = open(doc).read()
    if START not in text or END not in text:
        sys.exit(f"report.py: {doc} has no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    with open(doc, "w") as f:
        f.write(head + START + "\n" + md + END + tail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--brief", action="store_true")
    ap.add_argument("--md")
    ap.add_argument("--svg")
    ap.add_argument("--svg-copy")
    ap.add_argument("--splice")
    ap.add_argument("--command", default="benchmarks/compare/run.sh")
    ap.add_argument("--versions", default="")
    a = ap.parse_args()
    rows = read(a.results)
    if a.brief:
        if rows:
            print(brief(rows))
        return
    groups = group(rows)
    md = markdown(rows, groups, a.command, a.versions)
    if a.md:
        open(a.md, "w").write(md)
    else:
        sys.stdout.write(md)
    svg = svg_chart(rows, groups)
    for p in (a.svg, a.svg_copy):
        if p:
            open(p, "w").write(svg)
    if a.splice:
        splice(a.splice, md)


if __name__ == "__main__":
    main()
