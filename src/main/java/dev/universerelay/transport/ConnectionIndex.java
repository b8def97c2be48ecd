package dev.universerelay.transport;

import dev.universerelay.protocol.WireFormat;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open relay connection of this node, and how many come from each address: what the
 * handshake caps, the heartbeat and shutdown need, without asking Micronaut's session registry.
 */
@Singleton
final class ConnectionIndex {
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<CompletableFuture<Void>> emptyWaiters = new CopyOnWriteArrayList<>();

    void add(Connection connection) {
        if (connections.add(connection)) {
            perAddress.computeIfAbsent(connection.address, a -> new AtomicInteger()).incrementAndGet();
        }
    }

    void remove(Connection connection) {
        if (connections.remove(connection)) {
            perAddress.computeIfPresent(connection.address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
            if (connections.isEmpty()) {
                emptyWaiters.forEach(w -> w.complete(null));
            }
        }
    }

    /** Completes when no connection is left (at once if there is none). */
    CompletableFuture<Void> whenEmpty() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        emptyWaiters.add(waiter);
        waiter.whenComplete((v, e) -> emptyWaiters.remove(waiter));
        if (connections.isEmpty()) {
            waiter.complete(null);
        }
        return waiter;
    }

    int size() {
        return connections.size();
    }

    int fromAddress(String address) {
        AtomicInteger n = perAddress.get(address);
        return n == null ? 0 : n.get();
    }

    Iterable<Connection> all() {
        return connections;
    }

    long count(WireFormat wire) {
        return connections.stream().filter(c -> c.wire == wire).count();
    }
}
