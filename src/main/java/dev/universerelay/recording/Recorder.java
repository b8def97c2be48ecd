package dev.universerelay.recording;

import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.universe.UniverseTap;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records one universe into one file. As a {@link UniverseTap} it only puts records in a bounded
 * queue (the universe calls it under its lock); the {@link RecordingWriter}'s thread writes them
 * every few milliseconds,
 * keeps a {@link UniverseState} to add a keyframe every {@code keyframeIntervalMillis}, and
 * flushes after each batch, so a killed process leaves a file readable up to its last flushed
 * record. When the queue is full (the disk is slower than the universe) or a write fails (disk
 * full, I/O error), the recording stops for good, with one report to the {@link RecordingObserver}
 * (a metric and one log line): a recording with a hole would replay a different game, and live
 * play must never wait for it.
 */
public final class Recorder implements UniverseTap {

    /** Opens the file to append to; tests swap in failing streams. */
    @FunctionalInterface
    public interface FileOpener {
        OutputStream open(Path path) throws IOException;

        FileOpener FILES = path -> Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private final String id;
    private final Path path;
    private final String node;
    private final ArrayBlockingQueue<Recorded> queue;
    private final RecordingWriter writer;
    private final long keyframeIntervalMillis;
    private final RecordingObserver observer;
    private final FileOpener opener;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile boolean accepting = true;
    private volatile boolean finished;
    private volatile String universe = "";
    private volatile long startedAt;
    private volatile String failureReason;
    private volatile String failureDetail;
    // writer thread only
    private boolean failureReported;
    private OutputStream out;
    private final UniverseState state = new UniverseState();
    private long lastKeyframe;

    public Recorder(String id, Path path, String node, int maxQueue, long keyframeIntervalMillis, RecordingWriter writer,
                    RecordingObserver observer, FileOpener opener) {
        this.id = id;
        this.path = path;
        this.node = node;
        this.queue = new ArrayBlockingQueue<>(maxQueue);
        this.writer = writer;
        this.keyframeIntervalMillis = keyframeIntervalMillis;
        this.observer = observer;
        this.opener = opener;
        writer.register(this);
    }

    public String id() {
        return id;
    }

    public Path path() {
        return path;
    }

    public String universe() {
        return universe;
    }

    public long startedAt() {
        return startedAt;
    }

    /** Whether it still records (false once stopped, ended or failed). */
    public boolean isRecording() {
        return accepting;
    }

    /** Whether its file is closed: everything it will ever hold is written. */
    public boolean isFinished() {
        return finished;
    }

    @Override
    public void started(String universe, long serverTime, List<ServerMessage.PlayerInfo> players,
                        List<ServerMessage.Appeared> entities) {
        this.universe = universe;
        this.startedAt = serverTime;
        offer(new Recorded.Header(RecordFormat.VERSION, universe, serverTime, node));
        offer(new Recorded.Keyframe(serverTime, List.copyOf(players), List.copyOf(entities)));
    }

    @Override
    public void event(ServerMessage message, long serverTime) {
        offer(new Recorded.Event(serverTime, message));
    }

    @Override
    public void ended(long serverTime) {
        stop(serverTime, "universe closed");
    }

    /** Ends the recording with an end record (an operator, the node shutting down); any thread. */
    public void stop(long serverTime, String reason) {
        if (accepting) {
            offer(new Recorded.End(serverTime, reason));
            accepting = false;
            writer.schedule(this);
        }
    }

    private void offer(Recorded record) {
        if (!accepting) {
            return;
        }
        if (!queue.offer(record)) { // written at the writer's next period
            fail("queue-full", queue.size() + " records waiting for the disk");
        }
    }

    /** Stops accepting records; the writer thread reports it (a metric and a log line: never under the universe's lock). */
    private void fail(String reason, String detail) {
        accepting = false;
        if (failed.compareAndSet(false, true)) {
            failureReason = reason;
            failureDetail = detail;
            writer.schedule(this);
        }
    }

    private void reportFailure() {
        if (!failureReported) {
            failureReported = true;
            observer.failed(id, failureReason, failureDetail);
        }
    }

    boolean claimDrain() {
        return drainScheduled.compareAndSet(false, true);
    }

    void releaseDrain() {
        drainScheduled.set(false);
    }

    /** Writes what is queued; on the writer thread only. */
    void drain() {
        drainScheduled.set(false);
        if (finished) {
            queue.clear();
            return;
        }
        if (failed.get()) {
            reportFailure();
            finish();
            return;
        }
        try {
            long bytes = 0;
            Recorded record;
            boolean ended = false;
            while (!ended && (record = queue.poll()) != null) {
                bytes += write(record);
                ended = record instanceof Recorded.End;
                if (record instanceof Recorded.Event && record.time() - lastKeyframe >= keyframeIntervalMillis) {
                    bytes += write(state.keyframe(record.time()));
                }
            }
            if (out != null) {
                out.flush();
            }
            observer.written(bytes);
            if (ended) {
                finish();
            }
        } catch (IOException | RuntimeException e) {
            fail("io-error", e.getClass().getSimpleName() + ": " + e.getMessage());
            reportFailure();
            finish();
        }
    }

    private int write(Recorded record) throws IOException {
        if (out == null) {
            out = new BufferedOutputStream(opener.open(path), 64 * 1024);
            out.write(RecordFormat.MAGIC);
        }
        state.apply(record);
        if (record instanceof Recorded.Keyframe) {
            lastKeyframe = record.time();
        }
        byte[] frame = RecordFormat.frame(record);
        out.write(frame);
        return frame.length;
    }

    private void finish() {
        queue.clear();
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file holds what was flushed; a failure was reported already or is reported by the next write
            }
            out = null;
        }
        finished = true;
    }

    @Override
    public String toString() {
        return "recording " + id + " of universe " + universe;
    }
}
