#!/usr/bin/env python3
"""Markdown tables from forward_bench / backward_bench JSON output.

    forward_bench --benchmark_min_time=0.2 --benchmark_out=f1.json --benchmark_out_format=json
    ... (repeat, e.g. f2.json, f3.json: the best run of each benchmark is kept)
    python3 bench/support/tabulate.py f1.json f2.json f3.json b1.json b2.json

For every benchmark the run with the lowest time per sample is kept (on a shared machine
the best run is the least disturbed one), and the peak is the highest peak/fma/* figure.
Ratios are times, ctnn over the baseline: below 1 means ctnn is faster.
"""

import json
import sys
from collections import defaultdict

IMPLS = ["", "scalar_arch", "plain", "eigen"]


def load(paths):
    best = {}
    context = None
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        context = context or data.get("context", {})
        for b in data["benchmarks"]:
            if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
                continue
            name = b["name"]
            if name.startswith("peak/"):
                key = b["GFLOP/s"]
                if name not in best or key > best[name]["GFLOP/s"]:
                    best[name] = b
            elif "time/sample" in b:
                if name not in best or b["time/sample"] < best[name]["time/sample"]:
                    best[name] = b
    return best, context


def fmt_ns(seconds):
    ns = seconds * 1e9
    if ns >= 10000:
        return f"{ns / 1000:.1f} us"
    if ns >= 100:
        return f"{ns:.0f} ns"
    return f"{ns:.1f} ns"


def table(best, subject, peak):
    rows = defaultdict(dict)
    order = []
    for name, b in best.items():
        parts = name.split("/")
        if parts[0] != subject:
            continue
        topo = parts[1]
        impl = parts[2] if len(parts) > 2 else ""
        if topo not in order:
            order.append(topo)
        rows[topo][impl] = b
    if not order:
        return ""
    head = ("| topology | ctnn | ctnn scalar_arch | plain | Eigen | ctnn / plain | ctnn / Eigen "
            "| ctnn GFLOP/s | ctnn % of peak | Eigen GFLOP/s | Eigen % of peak |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for topo in order:
        r = rows[topo]
        t = {impl: r[impl]["time/sample"] for impl in IMPLS if impl in r}
        cells = [topo]
        cells += [fmt_ns(t[impl]) if impl in t else "-" for impl in IMPLS]
        for base in ("plain", "eigen"):
            cells.append(f"{t[''] / t[base]:.2f}" if "" in t and base in t else "-")
        for impl in ("", "eigen"):
            if impl in r:
                g = r[impl]["GFLOP/s"]
                cells.append(f"{g:.1f}")
                cells.append(f"{100 * g / peak:.0f}%" if peak else "-")
            else:
                cells += ["-", "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(paths):
    best, context = load(paths)
    peaks = {n: b["GFLOP/s"] for n, b in best.items() if n.startswith("peak/")}
    peak = max(peaks.values()) if peaks else 0
    if peaks:
        print("Peak FMA throughput: " + ", ".join(f"{n}: {g:.1f} GFLOP/s" for n, g in peaks.items()))
        label = next((b.get("label", "") for n, b in best.items() if n.startswith("peak/")), "")
        print(f"(peak used for % of peak: {peak:.1f} GFLOP/s; {label})")
        print()
    for subject, what in (("forward", "Forward, time per sample"),
                          ("backward", "Backward (batch of 32), time per sample")):
        t = table(best, subject, peak)
        if t:
            print(f"{what}:\n\n{t}\n")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
