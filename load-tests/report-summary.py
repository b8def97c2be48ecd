#!/usr/bin/env python3
"""Prints the statistics table of Gatling HTML reports as plain text (for the README's table).

    python3 load-tests/report-summary.py load-tests/target/gatling/universefanoutsimulation-*/

With no argument: the newest report of each simulation under load-tests/target/gatling.
Columns as in the report: count, OK, KO, count/s (over the whole run), min, p50, p75, p95,
p99, max, mean (ms).
"""
import glob
import html
import os
import re
import sys

ROW = re.compile(r'<tr id="req_[^"]*".*?class="ellipsed-name">(.*?)</span>(.*?)</tr>', re.S)
CELL = re.compile(r'<td class="value [a-z]+ col-(\d+)">([^<]*)</td>')
COLS = {2: "count", 3: "OK", 4: "KO", 6: "cnt/s", 7: "min", 8: "p50", 9: "p75", 10: "p95", 11: "p99", 12: "max", 13: "mean"}


def summary(report_dir):
    page = open(os.path.join(report_dir, "index.html"), encoding="utf-8").read()
    print(f"== {os.path.basename(os.path.normpath(report_dir))}")
    print(f"{'request':44}" + "".join(f"{c:>9}" for c in COLS.values()))
    for name, cells in ROW.findall(page):
        values = {int(c): v for c, v in CELL.findall(cells)}
        print(f"{html.unescape(name)[:44]:44}" + "".join(f"{values.get(c, ''):>9}" for c in COLS))


def newest_per_simulation(root):
    latest = {}
    for d in sorted(glob.glob(os.path.join(root, "*-[0-9]*"))):
        latest[re.sub(r"-\d+$", "", os.path.basename(d))] = d  # names end in a timestamp
    return list(latest.values())


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for d in sys.argv[1:] or newest_per_simulation(os.path.join(here, "target", "gatling")):
        summary(d)
