#!/usr/bin/env python3
"""Turns JMH JSON results of the gemm benchmarks into Markdown tables of GFLOP/s and ratios vs OpenBLAS.

usage: benchmarks/gemm-report.py result.json [more.json ...]

GFLOP/s = (multiplies per second) x 2mnk / 1e9. The 1-second measurement iterations of every file are pooled
per (shape, threads, benchmark), so several JMH runs interleaved in time can be combined. Two tables:
  * mean ± sd: mean and standard deviation of the pooled iterations;
  * best iteration: the fastest 1-second iteration. On a machine shared with other jobs interference only
    ever slows a run down, so the best iteration is the steadier estimate of what the code can do.
Ratios compare rows of the same shape and thread count (single-threaded baselines are listed under 1 thread).
"""
import json
import sys

ORDER = ["naive", "simpleVector", "aperture", "apertureBf16Panels", "apertureF16Panels", "openblas"]


def flops(shape):
    m, n, k = (int(v) for v in shape.split("x"))
    return 2.0 * m * n * k


def load(paths):
    rows = {}
    for path in paths:
        for result in json.load(open(path)):
            method = result["benchmark"].rsplit(".", 1)[1]
            params = result.get("params", {})
            shape = params["shape"]
            threads = int(params.get("threads", 1))
            scale = flops(shape) / 1e9
            scores = [score * scale for fork in result["primaryMetric"]["rawData"] for score in fork]
            rows.setdefault((shape, threads, method), []).extend(scores)
    summary = {}
    for key, scores in rows.items():
        mean = sum(scores) / len(scores)
        sd = (sum((s - mean) ** 2 for s in scores) / max(1, len(scores) - 1)) ** 0.5
        summary[key] = {"mean": mean, "error": sd, "best": max(scores), "n": len(scores)}
    return summary


def table(rows, statistic):
    shapes = sorted({s for s, _, _ in rows}, key=lambda s: [int(v) for v in s.split("x")])
    methods = sorted({m for _, _, m in rows}, key=lambda m: (ORDER.index(m) if m in ORDER else len(ORDER), m))
    print("| m x n x k | threads | " + " | ".join(methods) + " | aperture / openblas |")
    print("|---|---|" + "---|" * len(methods) + "---|")
    for shape in shapes:
        for threads in (1, 2):
            if not any((shape, threads, m) in rows for m in methods):
                continue
            cells = []
            for method in methods:
                value = rows.get((shape, threads, method))
                if value is None:
                    cells.append("-")
                elif statistic == "mean":
                    cells.append(f"{value['mean']:.0f} ± {value['error']:.0f}")
                else:
                    cells.append(f"{value['best']:.0f}")
            ours = rows.get((shape, threads, "aperture"))
            blas = rows.get((shape, threads, "openblas"))
            ratio = f"{ours[statistic] / blas[statistic]:.2f}" if ours and blas else "-"
            print(f"| {shape} | {threads} | " + " | ".join(cells) + f" | {ratio} |")


def main(paths):
    rows = load(paths)
    print("GFLOP/s, mean ± sd of the 1-second iterations:\n")
    table(rows, "mean")
    print("\nGFLOP/s, best 1-second iteration:\n")
    table(rows, "best")


if __name__ == "__main__":
    main(sys.argv[1:])
