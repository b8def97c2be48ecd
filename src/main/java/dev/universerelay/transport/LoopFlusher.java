package dev.universerelay.transport;

import io.netty.channel.EventLoop;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Flushes the outboxes of one event loop in one task. An event fanned out to a universe touches
 * one outbox per recipient; waking an event loop per outbox would cost a wake-up (a system call)
 * per recipient, while this costs at most one per event loop, and everything queued meanwhile for
 * all of that loop's connections leaves in the same pass.
 *
 * <p>With a flush interval ({@code relay.websocket.flush-interval}, default 0: at once) the pass
 * waits that long, so more events share each socket write: socket writes are most of the relay's
 * CPU at high fan-out, and the interval trades that CPU for at most that much added latency.
 */
final class LoopFlusher {
    private static final ConcurrentHashMap<EventLoop, LoopFlusher> BY_LOOP = new ConcurrentHashMap<>();

    private final EventLoop loop;
    private final long intervalMicros;
    private final Queue<Outbox> dirty = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable flushAll = this::flushAll;

    private LoopFlusher(EventLoop loop, long intervalMicros) {
        this.loop = loop;
        this.intervalMicros = Math.max(0, intervalMicros);
    }

    /**
     * The flusher of an event loop (made with the given interval on first use; event loops live as
     * long as the server, and so do flushers).
     */
    static LoopFlusher of(EventLoop loop, long intervalMicros) {
        return BY_LOOP.computeIfAbsent(loop, l -> new LoopFlusher(l, intervalMicros));
    }

    /** Asks for a flush of the outbox in the loop's next pass; the outbox calls it once per batch. */
    void request(Outbox outbox) {
        dirty.add(outbox);
        if (scheduled.compareAndSet(false, true)) {
            if (intervalMicros == 0) {
                loop.execute(flushAll);
            } else {
                loop.schedule(flushAll, intervalMicros, TimeUnit.MICROSECONDS);
            }
        }
    }

    private void flushAll() {
        scheduled.set(false);
        for (Outbox outbox = dirty.poll(); outbox != null; outbox = dirty.poll()) {
            outbox.flush();
        }
    }
}
