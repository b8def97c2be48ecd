package dev.universerelay.limits;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Who created which universe, so that one address or identity cannot fill the node's universe
 * cap: each may create {@code perMinute} universes a minute (a token bucket), and hold at most
 * {@code held} universes it created that still exist. A creation is a handshake, past its token
 * check, to a universe the node does not hold; it is remembered as the universe's creator until the
 * universe is gone (checked against {@code exists} when counted); until a connection has
 * {@linkplain #arrived joined} it, the handshake is still on its way and the creation counts for
 * {@link #PENDING_NANOS} whether the universe exists yet or not. Memory: one entry per universe that exists or
 * was asked for in the last {@link #PENDING_NANOS}, plus the per-minute buckets (bounded by
 * {@link KeyedRateLimiter}). Thread-safe (one lock: creations are rare and rate-limited).
 */
public final class UniverseCreations {
    /** How long a creation counts before its universe shows up: the handshake's way to the join. */
    static final long PENDING_NANOS = 10_000_000_000L;

    private final int held;
    private final KeyedRateLimiter addressRate;
    private final KeyedRateLimiter identityRate;
    private final LongSupplier nanoClock;
    private final Map<String, Creation> byUniverse = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Set<String>> byHolder = new HashMap<>();
    private int pruneAt;

    private static final class Creation {
        final String address;
        final String identity;
        final long atNanos;
        /** Set once a connection has joined the universe: from then on, its absence means it is gone. */
        volatile boolean arrived;

        Creation(String address, String identity, long atNanos) {
            this.address = address;
            this.identity = identity;
            this.atNanos = atNanos;
        }
    }

    public UniverseCreations(int perMinute, int held, int maxKeys) {
        this(perMinute, held, maxKeys, System::nanoTime);
    }

    UniverseCreations(int perMinute, int held, int maxKeys, LongSupplier nanoClock) {
        this.held = held;
        this.addressRate = new KeyedRateLimiter(perMinute / 60d, perMinute, maxKeys, nanoClock);
        this.identityRate = new KeyedRateLimiter(perMinute / 60d, perMinute, maxKeys, nanoClock);
        this.nanoClock = nanoClock;
        this.pruneAt = 1024;
    }

    /**
     * Records that {@code address} and {@code identity} create {@code universe}, or says why they
     * may not (null: allowed). {@code exists} tells which universes the node still holds.
     */
    public synchronized String tryCreate(String universe, String address, String identity, Predicate<String> exists) {
        long now = nanoClock.getAsLong();
        if (holding(addressKey(address), now, exists) >= held) {
            return "your address holds " + held + " universes it created; join an existing one or wait until one empties";
        }
        if (holding(identityKey(identity), now, exists) >= held) {
            return "your identity holds " + held + " universes it created; join an existing one or wait until one empties";
        }
        if (!addressRate.hasToken(addressKey(address)) || !identityRate.hasToken(identityKey(identity))) {
            return "too many new universes from your address or identity in the last minute";
        }
        if (addressRate.tryTake(addressKey(address)) > 0 || identityRate.tryTake(identityKey(identity)) > 0) {
            return "too many new universes from your address or identity in the last minute";
        }
        forget(universe);
        byUniverse.put(universe, new Creation(address, identity, now));
        byHolder.computeIfAbsent(addressKey(address), k -> new HashSet<>()).add(universe);
        byHolder.computeIfAbsent(identityKey(identity), k -> new HashSet<>()).add(universe);
        if (byUniverse.size() >= pruneAt) {
            pruneAll(now, exists);
            pruneAt = Math.max(1024, byUniverse.size() * 2);
        }
        return null;
    }

    /**
     * A connection joined {@code universe}: if its creation is remembered, the universe now exists,
     * and once it is gone the creation stops counting at once. Lock-free: it is called on every join.
     */
    public void arrived(String universe) {
        Creation c = byUniverse.get(universe);
        if (c != null && !c.arrived) {
            c.arrived = true;
        }
    }

    /** Universes that {@code address} created and that still exist or are on their way (for tests). */
    synchronized int heldByAddress(String address, Predicate<String> exists) {
        return holding(addressKey(address), nanoClock.getAsLong(), exists);
    }

    /** Creations remembered (for tests): bounded by the universes that exist plus recent creations. */
    synchronized int remembered() {
        return byUniverse.size();
    }

    private int holding(String holder, long now, Predicate<String> exists) {
        Set<String> names = byHolder.get(holder);
        if (names == null) {
            return 0;
        }
        java.util.List<String> over = new java.util.ArrayList<>();
        for (Iterator<String> it = names.iterator(); it.hasNext(); ) {
            String name = it.next();
            Creation c = byUniverse.get(name);
            if (c == null || !holder.equals(addressKey(c.address)) && !holder.equals(identityKey(c.identity))) {
                it.remove(); // someone else created it since
            } else if (isOver(c, name, now, exists)) {
                over.add(name);
            }
        }
        over.forEach(this::forget);
        Set<String> left = byHolder.get(holder);
        if (left != null && left.isEmpty()) {
            byHolder.remove(holder);
        }
        return left == null ? 0 : left.size();
    }

    private static boolean isOver(Creation c, String name, long now, Predicate<String> exists) {
        return (c.arrived || now - c.atNanos >= PENDING_NANOS) && !exists.test(name);
    }

    private void pruneAll(long now, Predicate<String> exists) {
        byUniverse.entrySet().removeIf(e -> isOver(e.getValue(), e.getKey(), now, exists));
        byHolder.values().forEach(names -> names.removeIf(n -> !byUniverse.containsKey(n)));
        byHolder.values().removeIf(Set::isEmpty);
    }

    private void forget(String universe) {
        Creation old = byUniverse.remove(universe);
        if (old != null) {
            removeFrom(addressKey(old.address), universe);
            removeFrom(identityKey(old.identity), universe);
        }
    }

    private void removeFrom(String holder, String universe) {
        Set<String> names = byHolder.get(holder);
        if (names != null && names.remove(universe) && names.isEmpty()) {
            byHolder.remove(holder);
        }
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }

    private static String identityKey(String identity) {
        return "s:" + identity;
    }
}
