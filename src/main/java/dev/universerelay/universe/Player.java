package dev.universerelay.universe;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One player (or spectator) of a universe. It outlives its connection during the resume grace
 * period, which is why the link can be absent.
 */
public final class Player {
    private final long number;
    private final PlayerIdentity identity;
    final Set<Long> entityIds = new LinkedHashSet<>();
    PlayerLink link;
    long graceDeadline;
    /** A member connected to another node (docs/cluster.md); this node only mirrors it. */
    boolean remote;
    /** The area it asked to see (interest management); null: it sees everything. */
    ViewArea view;
    /**
     * With a view, the entities it is shown: it got their {@code appeared} and no {@code hidden} or
     * {@code destroyed} since. Kept in step with each entity's {@link Entity#watchers} by
     * {@link InterestManagement}, the only writer of either.
     */
    Set<Long> shown = new HashSet<>();

    Player(long number, PlayerIdentity identity, PlayerLink link) {
        this.number = number;
        this.identity = identity;
        this.link = link;
    }

    public long number() {
        return number;
    }

    public PlayerIdentity identity() {
        return identity;
    }

    public boolean isRemote() {
        return remote;
    }

    public boolean isSpectator() {
        return identity.spectator();
    }

    @Override
    public String toString() {
        return "player " + number;
    }
}
