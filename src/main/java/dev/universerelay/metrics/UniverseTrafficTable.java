package dev.universerelay.metrics;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The {@link UniverseTraffic} counters of the universes this node serves, looked up once per
 * connection when it joins (never per message). Entries of universes that are gone are dropped by
 * the console's sampler ({@link #retainOnly}), so the table is bounded by the node's universe cap.
 */
@Singleton
public final class UniverseTrafficTable {
    private final ConcurrentHashMap<String, UniverseTraffic> byUniverse = new ConcurrentHashMap<>();

    /** The counters of a universe, created on its first connection. */
    public UniverseTraffic of(String universe) {
        return byUniverse.computeIfAbsent(universe, u -> new UniverseTraffic());
    }

    /** Forgets the counters of universes for which {@code alive} is false. */
    public void retainOnly(Predicate<String> alive) {
        byUniverse.keySet().removeIf(alive.negate());
    }

    /** A copy of the table, for the sampler. */
    public Map<String, UniverseTraffic> snapshot() {
        return Map.copyOf(byUniverse);
    }
}
