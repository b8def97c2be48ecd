package dev.universerelay.transport;

import jakarta.inject.Singleton;
import java.util.Set;
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

    void add(Connection connection) {
        if (connections.add(connection)) {
            perAddress.computeIfAbsent(connection.address, a -> new AtomicInteger()).incrementAndGet();
        }
    }

    void remove(Connection connection) {
        if (connections.remove(connection)) {
            perAddress.computeIfPresent(connection.address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
        }
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

    long count(dev.universerelay.protocol.WireFormat wire) {
        return connections.stream().filter(c -> c.wire == wire).count();
    }
}
