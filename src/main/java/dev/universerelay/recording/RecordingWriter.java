package dev.universerelay.recording;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that writes every recording of the node ({@code relay-recording-writer}), so
 * that no universe lock and no event loop ever waits for a disk. It drains every recorder every
 * {@link #FLUSH_MILLIS} (each drain ends with one flush): a universe's event costs a queue insert,
 * not a thread wake-up and a system call, and a killed process loses at most that much. Ends and
 * failures are drained at once.
 */
public final class RecordingWriter implements AutoCloseable {
    /** How often queued records are written and flushed. */
    public static final long FLUSH_MILLIS = 50;

    private final Set<Recorder> recorders = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-recording-writer");
        t.setDaemon(true);
        return t;
    });

    public RecordingWriter() {
        thread.scheduleWithFixedDelay(this::drainAll, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Includes a new recorder in the periodic drains. */
    void register(Recorder recorder) {
        recorders.add(recorder);
    }

    /** Has the writer drain this recorder now, not at the next period (its end, a failure). */
    void schedule(Recorder recorder) {
        if (recorder.claimDrain()) {
            try {
                thread.execute(recorder::drain);
            } catch (RejectedExecutionException shutDown) {
                recorder.releaseDrain();
            }
        }
    }

    private void drainAll() {
        for (Recorder r : recorders) {
            if (r.claimDrain()) {
                r.drain();
            }
            if (r.isFinished()) {
                recorders.remove(r);
            }
        }
    }

    /** Lets queued work finish (at most {@code waitMillis}), then stops the thread. */
    public void close(long waitMillis) {
        try {
            thread.execute(this::drainAll);
        } catch (RejectedExecutionException closedAlready) {
            return;
        }
        thread.shutdown();
        try {
            thread.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(5000);
    }
}
