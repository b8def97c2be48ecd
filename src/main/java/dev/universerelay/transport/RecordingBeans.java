package dev.universerelay.transport;

import dev.universerelay.metrics.RecordingMetrics;
import dev.universerelay.recording.Recorder;
import dev.universerelay.recording.RecordingStore;
import dev.universerelay.recording.RecordingWriter;
import dev.universerelay.recording.Recordings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Wires the framework-free recording package to this node's configuration and metrics. */
@Factory
final class RecordingBeans {

    @Singleton
    RecordingStore recordingStore(RecordingConfiguration config) {
        RecordingStore store = new RecordingStore(Path.of(config.directory()).toAbsolutePath().normalize());
        if (config.enabled()) {
            try {
                store.prepare();
            } catch (IOException e) {
                throw new UncheckedIOException("relay.recordings.directory " + store.directory() + " cannot be created", e);
            }
        }
        return store;
    }

    @Singleton
    @Bean(preDestroy = "shutdown")
    Recordings recordings(RecordingConfiguration config, RecordingStore store, RecordingMetrics metrics) {
        Recordings recordings = new Recordings(store, new RecordingWriter(), metrics, System::currentTimeMillis, "",
                config.maxQueue(), config.keyframeInterval().toMillis(), Recorder.FileOpener.FILES);
        metrics.gauge("relay.recordings.active", "Recordings being written on this node", () -> recordings.active().size());
        return recordings;
    }
}
