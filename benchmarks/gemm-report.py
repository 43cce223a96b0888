#!/usr/bin/env python3
"""Turns JMH JSON results of the gemm benchmarks into a Markdown table of GFLOP/s and ratios vs OpenBLAS.

usage: benchmarks/gemm-report.py result.json [more.json ...]
GFLOP/s = (multiplies per second) x 2mnk / 1e9; the error is JMH's 99.9% confidence half-width, scaled alike.
Ratios compare rows of the same shape and thread count (single-threaded baselines count as 1 thread).
"""
import json
import sys

ORDER = ["naive", "simpleVector", "aperture", "apertureBf16Panels", "apertureF16Panels", "openblas"]


def flops(shape):
    m, n, k = (int(v) for v in shape.split("x"))
    return 2.0 * m * n * k


def main(paths):
    rows = {}
    for path in paths:
        for result in json.load(open(path)):
            method = result["benchmark"].rsplit(".", 1)[1]
            params = result.get("params", {})
            label = params.get("label", "")
            shape = params["shape"]
            threads = int(params.get("threads", 1))
            scale = flops(shape) / 1e9
            metric = result["primaryMetric"]
            error = metric["scoreError"]
            rows[(shape, threads, method + label)] = (metric["score"] * scale,
                                                      0.0 if error != error else error * scale)
    shapes = sorted({s for s, _, _ in rows}, key=lambda s: [int(v) for v in s.split("x")])
    methods = sorted({m for _, _, m in rows}, key=lambda m: (ORDER.index(m) if m in ORDER else len(ORDER), m))
    print("| shape m x n x k | threads | " + " | ".join(methods) + " | aperture / openblas |")
    print("|---|---|" + "---|" * len(methods) + "---|")
    for shape in shapes:
        for threads in (1, 2):
            cells = []
            for method in methods:
                value = rows.get((shape, threads, method))
                cells.append(f"{value[0]:.1f} ± {value[1]:.1f}" if value else "-")
            ours = rows.get((shape, threads, "aperture"))
            blas = rows.get((shape, threads, "openblas"))
            ratio = f"{ours[0] / blas[0]:.2f}" if ours and blas else "-"
            print(f"| {shape} | {threads} | " + " | ".join(cells) + f" | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1:])
