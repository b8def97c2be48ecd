package dev.universerelay.metrics;

import dev.universerelay.recording.RecordingObserver;
import dev.universerelay.recording.ReplaySession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings' metrics (docs/operations.md, "Recordings"), and the one log line a failed
 * recording gets: bytes written, recordings stopped by a full queue or an I/O error, and how late
 * replays deliver their events behind the recorded schedule.
 */
@Singleton
public class RecordingMetrics implements RecordingObserver, ReplaySession.ReplayObserver {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingMetrics.class);
    private final MeterRegistry registry;
    private final Counter written;
    private final Timer replayLag;

    public RecordingMetrics(MeterRegistry registry) {
        this.registry = registry;
        written = Counter.builder("relay.recordings.written").baseUnit("bytes")
                .description("Bytes appended to recording files").register(registry);
        replayLag = Timer.builder("relay.replay.lag")
                .description("How late replays deliver events behind the recorded schedule (scaled by speed)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    @Override
    public void failed(String recordingId, String reason, String detail) {
        Counter.builder("relay.recordings.failed").tag("reason", reason)
                .description("Recordings stopped because the disk could not keep up (queue-full) or a write failed (io-error)")
                .register(registry).increment();
        LOG.warn("recording={} stopped reason={} ({}); the universe plays on unrecorded", recordingId, reason, detail);
    }

    @Override
    public void written(long bytes) {
        written.increment(bytes);
    }

    @Override
    public void lateBy(long nanos) {
        replayLag.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Registers a gauge (active recordings, replays). */
    public void gauge(String name, String description, java.util.function.Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
    }
}
