#!/usr/bin/env python3
"""Markdown tables of every implementation from the benchmark programs' JSON output.

tools/bench prints the ctnn-against-Eigen tables; this script tabulates a full run, with the
plain loops, ctnn's scalar kernels and the regression networks too:

    for p in forward train batch backward; do
        build/bench-native/bench/${p}_bench --benchmark_repetitions=5 --benchmark_min_time=0.1 \\
            --benchmark_out=$p.json --benchmark_out_format=json
    done
    python3 bench/support/tabulate.py forward.json train.json batch.json backward.json

For every benchmark the repetition with the lowest time per sample is kept (on a shared
machine the fastest is the least disturbed one), and the peak is the highest peak/fma/*
figure. Ratios are times, ctnn over the baseline: below 1 means ctnn is faster.
"""

import json
import sys
from collections import defaultdict

SUBJECTS = [
    ("forward", "Forward, one sample"),
    ("forward_batch_256", "Forward, batch of 256"),
    ("sgd_step", "SGD step, one sample"),
    ("minibatch_32", "Minibatch SGD step, 32 samples"),
    ("minibatch_256", "Minibatch SGD step, 256 samples"),
    ("backward", "Gradients (ctnn::backward), batch of 32"),
]
IMPLS = [("", "ctnn"), ("fused", "ctnn fused"), ("bf16", "ctnn bf16 weights"), ("scalar_arch", "ctnn scalar_arch"),
         ("plain", "plain"), ("eigen", "Eigen")]


def load(paths):
    best = {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        for b in data["benchmarks"]:
            if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
                continue
            name = b["name"]
            if name.startswith("peak/"):
                if name not in best or b["GFLOP/s"] > best[name]["GFLOP/s"]:
                    best[name] = b
            elif "time/sample" in b:
                if name not in best or b["time/sample"] < best[name]["time/sample"]:
                    best[name] = b
    return best


def fmt_time(seconds):
    ns = seconds * 1e9
    if ns >= 1e4:
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
    present = [(impl, title) for impl, title in IMPLS if any(impl in rows[t] for t in order)]
    head = ["topology"] + [title for _, title in present]
    head += [f"ctnn / {title}" for impl, title in present if impl in ("plain", "eigen")]
    head += ["ctnn GFLOP/s", "ctnn % of peak"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for topo in order:
        r = rows[topo]
        t = {impl: r[impl]["time/sample"] for impl, _ in present if impl in r}
        cells = [topo] + [fmt_time(t[impl]) if impl in t else "-" for impl, _ in present]
        for impl, _ in present:
            if impl in ("plain", "eigen"):
                cells.append(f"{t[''] / t[impl]:.2f}" if "" in t and impl in t else "-")
        if "" in r:
            g = r[""]["GFLOP/s"]
            cells += [f"{g:.1f}", f"{100 * g / peak:.0f}%" if peak else "-"]
        else:
            cells += ["-", "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(paths):
    best = load(paths)
    peaks = {n: b["GFLOP/s"] for n, b in best.items() if n.startswith("peak/")}
    peak = max(peaks.values()) if peaks else 0
    if peaks:
        label = next((b.get("label", "") for n, b in best.items() if n.startswith("peak/")), "")
        print("Peak FMA throughput: " + ", ".join(f"{n}: {g:.1f} GFLOP/s" for n, g in peaks.items()) +
              f" ({label}); % of peak is of {peak:.1f} GFLOP/s.\n")
    for subject, what in SUBJECTS:
        t = table(best, subject, peak)
        if t:
            print(f"{what}, time per sample:\n\n{t}\n")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
