package dev.universerelay.transport;

import io.micronaut.context.annotation.Value;
import io.netty.channel.EventLoop;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link LoopFlusher} of each event loop of this server, made on first use: event loops live as
 * long as the server, and so do their flushers. One object per server (injected), not a static map, so
 * that two servers in one JVM (tests) or a test's own channel never share a flusher.
 */
@Singleton
final class LoopFlushers {
    private final ConcurrentMap<EventLoop, LoopFlusher> byLoop = new ConcurrentHashMap<>();
    private final long intervalMicros;

    @jakarta.inject.Inject
    LoopFlushers(@Value("${relay.websocket.flush-interval:0ms}") Duration flushInterval) {
        this(flushInterval.toNanos() / 1000);
    }

    LoopFlushers(long intervalMicros) {
        this.intervalMicros = intervalMicros;
    }

    LoopFlusher of(EventLoop loop) {
        LoopFlusher flusher = byLoop.get(loop);
        return flusher != null ? flusher : byLoop.computeIfAbsent(loop, l -> new LoopFlusher(l, intervalMicros));
    }
}
