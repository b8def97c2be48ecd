package dev.universerelay.transport;

import io.netty.channel.EventLoop;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Flushes the outboxes of one event loop in one task. An event fanned out to a universe touches
 * one outbox per recipient; waking an event loop per outbox would cost a wake-up (a system call)
 * per recipient, while this costs at most one per event loop, and everything queued meanwhile for
 * all of that loop's connections leaves in the same pass.
 */
final class LoopFlusher {
    private static final ConcurrentHashMap<EventLoop, LoopFlusher> BY_LOOP = new ConcurrentHashMap<>();

    private final EventLoop loop;
    private final Queue<Outbox> dirty = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable flushAll = this::flushAll;

    private LoopFlusher(EventLoop loop) {
        this.loop = loop;
    }

    /** The flusher of an event loop; event loops live as long as the server, and so do flushers. */
    static LoopFlusher of(EventLoop loop) {
        return BY_LOOP.computeIfAbsent(loop, LoopFlusher::new);
    }

    /** Asks for a flush of the outbox in the loop's next pass; the outbox calls it once per batch. */
    void request(Outbox outbox) {
        dirty.add(outbox);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(flushAll);
        }
    }

    private void flushAll() {
        scheduled.set(false);
        for (Outbox outbox = dirty.poll(); outbox != null; outbox = dirty.poll()) {
            outbox.flush();
        }
    }
}
