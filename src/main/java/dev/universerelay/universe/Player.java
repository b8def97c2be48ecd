package dev.universerelay.universe;

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

    public boolean isSpectator() {
        return identity.spectator();
    }

    @Override
    public String toString() {
        return "player " + number;
    }
}
