package dev.universerelay.transport;

import dev.universerelay.recording.RecordingStore;
import dev.universerelay.recording.Recordings;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes recordings past {@code relay.recordings.retention-age}, then the oldest while all of them
 * together take more than {@code relay.recordings.retention-bytes}; a recording still being
 * written is never deleted (a replay in progress keeps its open file and plays on).
 */
@Singleton
final class RecordingRetention {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingRetention.class);
    private final RecordingConfiguration config;
    private final RecordingStore store;
    private final Recordings recordings;

    RecordingRetention(RecordingConfiguration config, RecordingStore store, Recordings recordings) {
        this.config = config;
        this.store = store;
        this.recordings = recordings;
    }

    @Scheduled(fixedDelay = "1m", initialDelay = "10s")
    void apply() {
        if (!config.enabled()) {
            return;
        }
        List<String> deleted = store.applyRetention(System.currentTimeMillis(), config.retentionAge().toMillis(),
                config.retentionBytes(), recordings::isWriting);
        if (!deleted.isEmpty()) {
            LOG.info("retention deleted {} recordings: {}", deleted.size(), deleted.size() > 10 ? deleted.subList(0, 10) + "…" : deleted);
        }
    }
}
