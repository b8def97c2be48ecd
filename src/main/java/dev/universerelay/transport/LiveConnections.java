package dev.universerelay.transport;

import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;

/**
 * What the operator console may know about this node's open connections, without reaching into
 * the transport: how many there are, and the connections of one universe's players with their
 * address and counters. Read off the hot path (once per console request), by walking the index.
 */
@Singleton
public final class LiveConnections {
    private final ConnectionIndex index;

    LiveConnections(ConnectionIndex index) {
        this.index = index;
    }

    public int size() {
        return index.size();
    }

    /**
     * The connections of one universe's members on this node, by player number, at most {@code cap}
     * of them (a universe is capped by {@code relay.limits.max-players-per-universe}; spectators are
     * not, hence the cap).
     */
    public Map<Long, PlayerConnection> inUniverse(String universe, int cap) {
        Map<Long, PlayerConnection> result = new HashMap<>();
        for (Connection c : index.all()) {
            if (result.size() >= cap) {
                break;
            }
            var u = c.universe;
            var p = c.player;
            if (u != null && p != null && u.name().equals(universe) && !c.isClosing()) {
                result.put(p.number(), new PlayerConnection(p.number(), c.address, c.wire.subprotocol(),
                        c.connectedAtMillis, c.rateLimitHits, c.rejectedMessages));
            }
        }
        return result;
    }

    /**
     * One member's connection as the console shows it.
     *
     * @param connectedAt   epoch milliseconds of the upgrade
     * @param rateLimitHits messages (and pings) refused by the rate limit
     * @param errors        messages refused for any other reason (bad message, rules of the universe)
     */
    public record PlayerConnection(long player, String address, String wire, long connectedAt, long rateLimitHits,
                                   long errors) {
    }
}
