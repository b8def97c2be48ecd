package dev.universerelay.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadIoEventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes the outboxes of one event loop that have something new, once per turn of the loop: uWebSockets
 * calls it corking. Everything a connection is sent while its loop handles one batch of reads (and the
 * fan-outs other loops handed over meanwhile) leaves in one socket write, at the end of that turn, so
 * batching grows with load without a timer and without adding latency: socket writes are most of the
 * relay's CPU at high fan-out. A turn ends with one pass over the outboxes that asked, whatever the
 * number of events queued.
 *
 * <p>Confined to its event loop (an outbox asks only from there), so it needs no synchronisation. With a
 * flush interval ({@code relay.websocket.flush-interval}, default 0: at the end of the turn) the pass
 * waits that long instead, so that still more events share each write, for at most that much latency.
 * One per event loop, made by {@link LoopFlushers}.
 */
final class LoopFlusher {
    private final EventLoop loop;
    private final long intervalMicros;
    private List<Outbox> dirty = new ArrayList<>();
    private List<Outbox> spare = new ArrayList<>();
    private boolean scheduled;
    private final Runnable flushAll = this::flushAll;
    /** Where an outbox of this loop assembles a frame before copying it to the socket's buffer in one go. */
    private byte[] scratch = new byte[256];
    /** Where the frames of this loop's outboxes go to their channels from. */
    private final CorkBuffer cork = new CorkBuffer();

    LoopFlusher(EventLoop loop, long intervalMicros) {
        this.loop = loop;
        this.intervalMicros = Math.max(0, intervalMicros);
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * A byte array of at least {@code size} bytes, this loop's own, for an outbox to assemble a frame in
     * (on the loop, for the time of one write; the next call may return the same array).
     */
    byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        return scratch;
    }

    /** This loop's buffer for outgoing frames (on the loop). */
    CorkBuffer cork() {
        return cork;
    }

    /** Writes the outbox at the end of this turn of the loop; call on the loop, once per turn (the outbox remembers). */
    void request(Outbox outbox) {
        dirty.add(outbox);
        if (!scheduled) {
            scheduled = true;
            if (intervalMicros > 0) {
                loop.schedule(flushAll, intervalMicros, TimeUnit.MICROSECONDS);
            } else if (loop instanceof SingleThreadIoEventLoop turns) { // the server's loops, NIO or epoll
                turns.executeAfterEventLoopIteration(flushAll); // after the reads and the tasks of this turn
            } else {
                loop.execute(flushAll); // loops without I/O turns (Netty's embedded and default loops, in tests)
            }
        }
    }

    private void flushAll() {
        scheduled = false;
        List<Outbox> now = dirty;
        dirty = spare;
        for (int i = 0; i < now.size(); i++) {
            now.get(i).flush();
        }
        now.clear();
        spare = now;
        cork.turnEnded();
    }
}
