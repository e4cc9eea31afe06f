#!/usr/bin/env python3
"""Summarises scripts/bench.sh's hyperfine exports as a Markdown table.

Columns: files, tags and commits of the repository; onboard's median wall time and peak RSS;
`git status`'s median and onboard's time as a multiple of it; alint's and repolinter's medians
and how many times slower than onboard each is. Then how time grows along each synthetic series.
"""

import glob
import json
import os
import re
import sys


def medians(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {r["command"]: r["median"] * 1000 for r in json.load(f)["results"]}


def main():
    d = sys.argv[1]
    rows = []
    for shape in sorted(glob.glob(os.path.join(d, "*.shape"))):
        name = os.path.basename(shape)[: -len(".shape")]
        _, files, tags, commits = open(shape).read().split("\t")
        m = medians(os.path.join(d, name + ".json"))
        m.update(medians(os.path.join(d, name + ".repolinter.json")))
        rss = int(open(os.path.join(d, name + ".rss")).read().split()[-1]) / 1024
        rows.append((name, int(files), int(tags), int(commits), m, rss))

    def ms(v):
        return "–" if v is None else (f"{v:.0f}" if v >= 10 else f"{v:.1f}")

    def ratio(a, b):
        return "–" if a is None or b is None or b == 0 else f"{a / b:.1f}×"

    print("| repository | files | tags | commits | onboard ms | peak MB | git status ms "
          "| onboard ÷ git status | alint ms | alint ÷ onboard | repolinter ms "
          "| repolinter ÷ onboard |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, files, tags, commits, m, rss in rows:
        ob, gs = m.get("onboard"), m.get("git-status")
        al, rl = m.get("alint"), m.get("repolinter")
        print(f"| {name} | {files} | {tags} | {commits} | {ms(ob)} | {rss:.0f} | {ms(gs)} "
              f"| {ratio(ob, gs)} | {ms(al)} | {ratio(al, ob)} | {ms(rl)} | {ratio(rl, ob)} |")

    # Growth along each synthetic series: time per added file, tag or commit between sizes.
    series = {}
    for name, files, tags, commits, m, _ in rows:
        k = re.fullmatch(r"(files|tags|commits)-(\d+)", name)
        if k and m.get("onboard") is not None:
            series.setdefault(k.group(1), []).append((int(k.group(2)), m["onboard"]))
    if series:
        print()
        print("| series | sizes | onboard ms | growth between sizes (× time for × size) |")
        print("|---|---|---|---|")
        for kind, points in sorted(series.items()):
            points.sort()
            sizes = " → ".join(str(s) for s, _ in points)
            times = " → ".join(ms(t) for _, t in points)
            steps = ", ".join(
                f"{b[1] / a[1]:.1f}× for {b[0] / a[0]:.0f}×" for a, b in zip(points, points[1:])
            )
            print(f"| {kind} | {sizes} | {times} | {steps} |")


if __name__ == "__main__":
    main()
