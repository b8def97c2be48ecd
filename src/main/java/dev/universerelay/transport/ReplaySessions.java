package dev.universerelay.transport;

import dev.universerelay.metrics.RecordingMetrics;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import dev.universerelay.recording.RecordingIndex;
import dev.universerelay.recording.RecordingStore;
import dev.universerelay.recording.ReplaySession;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replays watched on this node: the cap on how many at once ({@code relay.recordings.max-replays}),
 * and the two {@code relay-replay} threads that play them all (a replay's work is reading a
 * record and queueing it; it never runs on an event loop or holds a universe lock).
 */
@Singleton
final class ReplaySessions {
    private final RecordingConfiguration config;
    private final RecordingStore store;
    private final RecordingMetrics metrics;
    private final LimitsInfo limits;
    private final Semaphore slots;
    private final ScheduledThreadPoolExecutor scheduler;

    ReplaySessions(RecordingConfiguration config, RecordingStore store, RecordingMetrics metrics,
                   dev.universerelay.limits.LimitsConfiguration limits) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.limits = new LimitsInfo(limits.rate(), limits.burst(), limits.maxEntities(), limits.maxSpeed(), limits.bounds());
        this.slots = new Semaphore(config.maxReplays());
        AtomicInteger n = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "relay-replay-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        metrics.gauge("relay.replays", "Replays being watched on this node", this::watched);
    }

    boolean enabled() {
        return config.enabled();
    }

    Optional<RecordingIndex> find(String id) {
        return config.enabled() ? store.find(id) : Optional.empty();
    }

    /** Whether a replay slot is free now (the handshake's early answer; {@link #open} decides). */
    boolean hasRoom() {
        return slots.availablePermits() > 0;
    }

    int watched() {
        return config.maxReplays() - slots.availablePermits();
    }

    /** Takes a slot for a delayed spectator (they share the replay cap); false at the cap. */
    boolean tryTakeSlot() {
        return slots.tryAcquire();
    }

    java.util.concurrent.ScheduledExecutorService scheduler() {
        return scheduler;
    }

    LimitsInfo limits() {
        return limits;
    }

    /** A session for one viewer, or empty when the node plays its maximum number of replays. */
    Optional<ReplaySession> open(RecordingIndex index, Connection connection, String viewerName) {
        if (!slots.tryAcquire()) {
            return Optional.empty();
        }
        return Optional.of(new ReplaySession(index, store.pathOf(index.id()), new ReplayLink(connection), viewerName,
                limits, scheduler, System::nanoTime, metrics));
    }

    /** The viewer's socket closed: stops its replay (or delayed view) and frees its slot. */
    void closed(dev.universerelay.recording.Playback session) {
        if (session.stop()) {
            slots.release();
        }
    }

    @PreDestroy
    void shutdown() {
        scheduler.shutdownNow();
    }
}
