package dev.universerelay.universe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The universes of this node by name: created on first join, forgotten as soon as the last
 * member is gone, so that a node that served a million short games holds none of them.
 *
 * <p>A new universe is loaded ({@link Universe#open}, which in cluster mode reads its snapshot from
 * the shared store) before it is published in the map, by the first joiner, outside the map's
 * locks: concurrent joiners of the same new universe wait for that one load, and joiners of every
 * other universe (whatever bin of the map their name falls in) do not wait at all.
 */
public final class UniverseRegistry {
    private final ConcurrentHashMap<String, Universe> universes = new ConcurrentHashMap<>();
    /** The loads in progress, by name: the first joiner loads, the others wait for its future. */
    private final ConcurrentHashMap<String, CompletableFuture<Universe>> opening = new ConcurrentHashMap<>();
    private final Function<String, Universe> factory;
    private final Cluster cluster;

    public UniverseRegistry(Function<String, Universe> factory) {
        this(factory, Cluster.SINGLE_NODE);
    }

    /** A registry whose universes are shared with other nodes through {@code cluster}. */
    public UniverseRegistry(Function<String, Universe> factory, Cluster cluster) {
        this.factory = factory;
        this.cluster = cluster;
    }

    /**
     * Joins (creating and loading the universe when needed); retries if it closed between look-up
     * and join. With other nodes, a player's number is claimed from the cluster first (which may
     * block briefly, and throws when the cluster cannot be reached), as does loading a universe.
     */
    public Entry join(String name, PlayerIdentity identity, PlayerLink link) {
        while (true) {
            Universe universe = universes.get(name);
            if (universe == null) {
                universe = open(name);
            }
            JoinResult result = joinOnce(universe, identity, link);
            if (!(result instanceof JoinResult.Closed)) {
                return new Entry(universe, result);
            }
            universes.remove(name, universe);
        }
    }

    /**
     * The published universe of that name, or a new one loaded by this thread, or by the joiner that
     * started loading it first (then this one waits for that load). No map lock is held meanwhile.
     */
    private Universe open(String name) {
        CompletableFuture<Universe> mine = new CompletableFuture<>();
        CompletableFuture<Universe> theirs = opening.putIfAbsent(name, mine);
        if (theirs != null) {
            return await(theirs);
        }
        try {
            Universe universe = universes.get(name); // published by a load that ended after our look-up
            if (universe == null) {
                universe = factory.apply(name);
                universe.open();
                universes.put(name, universe); // only the loader of a name puts it, so nothing is replaced
            }
            mine.complete(universe);
            return universe;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            opening.remove(name, mine);
        }
    }

    private static Universe await(CompletableFuture<Universe> load) {
        try {
            return load.join();
        } catch (CompletionException e) {
            // the loader's failure (the shared store could not be reached), as if this joiner had loaded
            throw new IllegalStateException("universe not loaded: " + e.getCause(), e.getCause());
        }
    }

    private JoinResult joinOnce(Universe universe, PlayerIdentity identity, PlayerLink link) {
        if (universe.wouldExceedOriginShare(identity)) {
            // asked before the cluster claims a number; a single node asks again under the universe's lock
            return new JoinResult.OriginShareFull();
        }
        Cluster.Claim claim = cluster.claim(universe.name(), identity, universe.maxPlayers());
        if (claim instanceof Cluster.Claim.Granted granted) {
            return universe.joinClaimed(identity, link, granted.number());
        } else if (claim instanceof Cluster.Claim.Full) {
            return new JoinResult.Full();
        }
        return universe.join(identity, link);
    }

    /** Ends a connection's membership (see {@link Universe#disconnect}). */
    public void disconnect(Universe universe, Player player, PlayerLink link, boolean forGood) {
        if (universe.disconnect(player, link, forGood)) {
            universes.remove(universe.name(), universe);
        }
    }

    /** Ends the grace periods that are over, in every universe. */
    public void expireGrace() {
        for (Universe universe : universes.values()) {
            if (universe.expireGrace()) {
                universes.remove(universe.name(), universe);
            }
        }
    }

    /** Runs the interest management tick of every universe that has it. */
    public void sweepInterest() {
        for (Universe universe : universes.values()) {
            universe.sweepInterest();
        }
    }

    /** Closes one universe's connections and forgets it. */
    public boolean close(String name, int closeCode, String reason) {
        Universe universe = universes.remove(name);
        if (universe == null) {
            return false;
        }
        universe.closeAll(closeCode, reason);
        return true;
    }

    /** Removes one member for good and closes its connection; false when there is no such member. */
    public boolean kick(String name, long player, int closeCode, String reason) {
        Universe universe = universes.get(name);
        if (universe == null || !universe.kick(player, closeCode, reason)) {
            return false;
        }
        if (universe.isClosed()) {
            universes.remove(name, universe);
        }
        return true;
    }

    public Optional<Universe> find(String name) {
        return Optional.ofNullable(universes.get(name));
    }

    public Collection<Universe> all() {
        return List.copyOf(universes.values());
    }

    public int size() {
        return universes.size();
    }

    /** The universes that have players (connected or in their grace period), by name. */
    public List<UniverseSummary> summaries() {
        List<UniverseSummary> result = new ArrayList<>();
        for (Universe u : universes.values()) {
            UniverseSummary s = u.summary();
            if (!u.isClosed() && s.players() > 0) { // spectators alone do not keep a universe listed
                result.add(s);
            }
        }
        result.sort((a, b) -> a.name().compareTo(b.name()));
        return result;
    }

    /** The universe a connection ended up in and how. */
    public record Entry(Universe universe, JoinResult result) {
    }
}
