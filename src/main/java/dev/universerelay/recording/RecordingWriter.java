package dev.universerelay.recording;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that writes every recording of the node ({@code relay-recording-writer}), so
 * that no universe lock and no event loop ever waits for a disk. A recorder with records queued
 * is scheduled once; the thread drains its queue, writes and flushes, then takes the next one.
 */
public final class RecordingWriter implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "relay-recording-writer");
        t.setDaemon(true);
        return t;
    });

    /** Has the writer drain this recorder soon (no-op when it is scheduled already). */
    void schedule(Recorder recorder) {
        if (recorder.claimDrain()) {
            try {
                thread.execute(recorder::drain);
            } catch (RejectedExecutionException shutDown) {
                recorder.releaseDrain();
            }
        }
    }

    /** Lets queued work finish (at most {@code waitMillis}), then stops the thread. */
    public void close(long waitMillis) {
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
