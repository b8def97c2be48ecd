package dev.universerelay.console;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * A percentile of a timer over the interval since the last call, from its histogram buckets: the
 * buckets count every value since start (cumulatively, value at most the bucket's bound), so the
 * interval's counts are their differences from the last call. The answer is the bound of the first
 * bucket that holds the percentile's share of the interval's values: as precise as the histogram
 * (Micrometer's buckets are about 10 % apart), and free for the hot path, which only records.
 * Not thread-safe: one sampler calls it.
 */
final class IntervalPercentile {
    private final double quantile;
    private long lastCount;
    private double[] lastBuckets = new double[0];

    IntervalPercentile(double quantile) {
        this.quantile = quantile;
    }

    /** The percentile of the values recorded since the last call, in microseconds; 0 when there were none. */
    double micros(Timer timer) {
        HistogramSnapshot snapshot = timer.takeSnapshot();
        CountAtBucket[] buckets = snapshot.histogramCounts();
        long count = snapshot.count();
        long recorded = count - lastCount;
        double[] cumulative = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            cumulative[i] = buckets[i].count();
        }
        double[] before = lastBuckets.length == buckets.length ? lastBuckets : new double[buckets.length];
        lastBuckets = cumulative;
        lastCount = count;
        if (recorded <= 0 || buckets.length == 0) {
            return 0;
        }
        double wanted = Math.ceil(recorded * quantile);
        for (int i = 0; i < buckets.length; i++) {
            if (cumulative[i] - before[i] >= wanted) {
                return buckets[i].bucket(TimeUnit.MICROSECONDS);
            }
        }
        return buckets[buckets.length - 1].bucket(TimeUnit.MICROSECONDS); // beyond the largest bucket
    }
}
