package dev.universerelay.transport;

import dev.universerelay.recording.Recorder;
import dev.universerelay.recording.RecordingLeases;
import dev.universerelay.recording.Recordings;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseRegistry;
import dev.universerelay.universe.UniverseSummary;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: makes exactly one node record each universe named by {@code relay.recordings.universes}
 * (docs/cluster.md, *Recordings*). Every second, on the scheduler (never an event loop, no lock
 * held), it renews the lease of each universe this node records, and stops a recording whose lease
 * it lost; gives up the leases of recordings that ended here (this node's copy closed); and takes
 * the lease of a configured universe this node holds that nobody records, starting a new recording.
 * On one node it does nothing: universes are recorded from their creation.
 */
@Singleton
final class RecordingLeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingLeaseKeeper.class);
    private final RecordingConfiguration config;
    private final RecordingLeases leases;
    private final Recordings recordings;
    private final UniverseRegistry registry;
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    RecordingLeaseKeeper(RecordingConfiguration config, RecordingLeases leases, Recordings recordings, UniverseRegistry registry) {
        this.config = config;
        this.leases = leases;
        this.recordings = recordings;
        this.registry = registry;
    }

    @Scheduled(fixedDelay = "1s", initialDelay = "1s")
    void keep() {
        if (!config.enabled() || leases == RecordingLeases.SINGLE_NODE) {
            return;
        }
        for (Recorder r : recordings.active()) {
            if (leases.hold(r.universe())) {
                held.add(r.universe());
            } else {
                LOG.warn("universe={} recording={} stopped: this node lost its recording lease", r.universe(), r.id());
                recordings.stop(r.universe(), "recording lease lost", tap -> registry.find(r.universe()).ifPresent(u -> u.detach(tap)));
            }
        }
        for (String name : held) {
            if (!recordings.isRecording(name)) {
                held.remove(name);
                leases.release(name);
            }
        }
        for (UniverseSummary s : registry.summaries()) {
            String name = s.name();
            if (config.records(name) && !recordings.isRecording(name)) {
                Optional<Universe> universe = registry.find(name).filter(u -> !u.isClosed());
                if (universe.isPresent() && leases.hold(name)) {
                    held.add(name);
                    recordings.start(name, universe.get()::attach)
                            .ifPresent(r -> LOG.info("universe={} recording={} started on this node", name, r.id()));
                }
            }
        }
    }

    /** Ends this node's recordings and gives their leases up, so another node takes over at once (drain, shutdown). */
    @PreDestroy
    void releaseAll() {
        recordings.shutdown();
        held.forEach(leases::release);
        held.clear();
    }
}
