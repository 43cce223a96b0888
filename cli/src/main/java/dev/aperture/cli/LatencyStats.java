package dev.aperture.cli;

import java.util.Arrays;

/**
 * Summary of repeated timings of one benchmark stage, in milliseconds. Percentiles are nearest-rank (the smallest
 * measured value with at least p% of the measurements at or below it), so every reported figure was measured.
 *
 * @param itemsPerCall inputs one call processes (the batch size), for the throughput
 */
record LatencyStats(double minMs, double meanMs, double p50Ms, double p90Ms, double p99Ms, int samples,
                    int itemsPerCall) {

    static LatencyStats of(long[] nanos, int itemsPerCall) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double meanNanos = Arrays.stream(sorted).average().orElseThrow();
        return new LatencyStats(millis(sorted[0]), meanNanos / 1e6, percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 99), sorted.length, itemsPerCall);
    }

    /** Inputs per second at the mean latency. */
    double throughputPerSecond() {
        return itemsPerCall * 1000.0 / meanMs;
    }

    private static double percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return millis(sorted[Math.max(0, rank - 1)]);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
