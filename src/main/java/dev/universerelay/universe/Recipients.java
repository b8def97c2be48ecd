package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The links one event goes to, gathered under the universe's lock and handed to the fan-out in one
 * call, so that the transport encodes the event once for all of them instead of once per member.
 * One per universe, reused for every event (the fan-out must not keep the list): gathering
 * allocates nothing on the path of a move.
 */
final class Recipients {
    private final Fanout fanout;
    private final List<PlayerLink> links = new ArrayList<>();

    Recipients(Fanout fanout) {
        this.fanout = fanout;
    }

    /** Adds a member's connection, unless the member is {@code except} or has no connection here. */
    void add(Player member, Player except) {
        if (member != except && member.link != null) {
            links.add(member.link);
        }
    }

    /** Sends the message to those added, if any, and starts afresh for the next event. */
    void send(ServerMessage message) {
        try {
            if (!links.isEmpty()) {
                fanout.send(message, links);
            }
        } finally {
            links.clear();
        }
    }

    /** Sends the message to links gathered elsewhere (the interest sweep gathers many events at once). */
    void send(ServerMessage message, List<PlayerLink> to) {
        fanout.send(message, to);
    }
}
