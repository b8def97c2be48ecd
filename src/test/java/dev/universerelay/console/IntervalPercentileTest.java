package dev.universerelay.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The console's fan-out p99: per interval, from the difference of a timer's histogram buckets. */
class IntervalPercentileTest {
    private final Timer timer = Timer.builder("t").publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(500)).maximumExpectedValue(Duration.ofMillis(50))
            .register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)); // the relay's registry: cumulative buckets
    private final IntervalPercentile p99 = new IntervalPercentile(0.99);

    private void record(int times, long micros) {
        for (int i = 0; i < times; i++) {
            timer.record(micros, TimeUnit.MICROSECONDS);
        }
    }

    @Test
    void isTheBucketHolding99PercentOfTheIntervalsValues() {
        record(990, 20);
        record(10, 4000);
        double first = p99.micros(timer);
        assertThat(first).isBetween(20.0, 20 * 1.25); // the bound of 20 µs's bucket
        record(50, 20);
        record(950, 3000);
        assertThat(p99.micros(timer)).as("only this interval's values count").isCloseTo(3000, within(3000 * 0.25));
        assertThat(p99.micros(timer)).as("an interval without values").isZero();
        record(100, 200);
        assertThat(p99.micros(timer)).isBetween(200.0, 200 * 1.25);
    }

    @Test
    void valuesBeyondTheLargestBucketReadAsItsBound() {
        record(100, 200_000);
        assertThat(p99.micros(timer)).isGreaterThanOrEqualTo(50_000);
    }
}
