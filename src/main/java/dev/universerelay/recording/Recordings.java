package dev.universerelay.recording;

import dev.universerelay.universe.UniverseTap;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The recordings this node makes: at most one per universe at a time, started by configuration
 * (on a universe's first join) or by an operator, ended when the universe closes, when an
 * operator stops it, or when the node shuts down. Attaching to a universe is the caller's part
 * ({@code attach} hands the recorder to {@code Universe.attach}), so this class knows the
 * universe only through the {@link UniverseTap} port.
 */
public final class Recordings {
    private final RecordingStore store;
    private final RecordingWriter writer;
    private final RecordingObserver observer;
    private final LongSupplier clock;
    private final String node;
    private final int maxQueue;
    private final long keyframeIntervalMillis;
    private final Recorder.FileOpener opener;
    private final Map<String, Recorder> active = new ConcurrentHashMap<>();
    /** Recorders whose file is not closed yet, by recording id (stopped ones included, until written). */
    private final Map<String, Recorder> writing = new ConcurrentHashMap<>();

    public Recordings(RecordingStore store, RecordingWriter writer, RecordingObserver observer, LongSupplier clock,
                      String node, int maxQueue, long keyframeIntervalMillis, Recorder.FileOpener opener) {
        this.store = store;
        this.writer = writer;
        this.observer = observer;
        this.clock = clock;
        this.node = node;
        this.maxQueue = maxQueue;
        this.keyframeIntervalMillis = keyframeIntervalMillis;
        this.opener = opener;
    }

    public RecordingStore store() {
        return store;
    }

    /**
     * Starts recording {@code universe} unless it is being recorded already; {@code attach} gives
     * the recorder to the universe, which calls {@code started} with its state at once.
     */
    public Optional<Recorder> start(String universe, Consumer<UniverseTap> attach) {
        prune();
        long now = clock.getAsLong();
        String id = store.newId(universe, now, node);
        Path path = store.pathOf(id);
        Recorder recorder = new Recorder(id, path, node, maxQueue, keyframeIntervalMillis, writer, observer, opener);
        if (active.putIfAbsent(universe, recorder) != null) {
            return Optional.empty();
        }
        writing.put(id, recorder);
        attach.accept(recorder);
        return Optional.of(recorder);
    }

    /** Stops the recording of {@code universe}; {@code detach} takes the recorder off the universe. */
    public Optional<Recorder> stop(String universe, String reason, Consumer<UniverseTap> detach) {
        Recorder recorder = active.remove(universe);
        if (recorder == null) {
            return Optional.empty();
        }
        detach.accept(recorder);
        recorder.stop(clock.getAsLong(), reason);
        return Optional.of(recorder);
    }

    /** The recordings in progress. */
    public List<Recorder> active() {
        prune();
        return List.copyOf(active.values());
    }

    /** Whether this node records {@code universe} now. */
    public boolean isRecording(String universe) {
        Recorder r = active.get(universe);
        return r != null && r.isRecording();
    }

    /** Whether a recording file is still being written (retention keeps it). */
    public boolean isWriting(String id) {
        writing.values().removeIf(Recorder::isFinished);
        return writing.containsKey(id);
    }

    /** Ends every recording ("node shutdown") and waits up to 5 s for the files to be written. */
    public void shutdown() {
        shutdown("node shutdown", 5000);
    }

    /** Ends every recording with an end record and waits (at most {@code waitMillis}) for the files to be written. */
    public void shutdown(String reason, long waitMillis) {
        long now = clock.getAsLong();
        for (Recorder r : active.values()) {
            r.stop(now, reason);
        }
        active.clear();
        writer.close(waitMillis);
    }

    private void prune() {
        active.values().removeIf(r -> !r.isRecording());
    }
}
