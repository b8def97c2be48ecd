package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The links one event goes to, gathered under the universe's lock and handed to the fan-out in one
 * call, so that the transport encodes the event once for all of them instead of once per member.
 * One per universe, reused for every event (the fan-out must not keep the list): gathering
 * allocates nothing on the path of a move.
 */
final class Recipients {
    private final Fanout fanout;
    private final List<PlayerLink> links = new ArrayList<>();
    private final LongSupplier clock;
    /** Who gets the whole stream, whatever each member is shown (recorders, delay lines: {@link UniverseTap}). */
    private final List<UniverseTap> taps = new ArrayList<>();

    /** Without taps' server times (parts tested alone). */
    Recipients(Fanout fanout) {
        this(fanout, System::currentTimeMillis);
    }

    Recipients(Fanout fanout, LongSupplier clock) {
        this.fanout = fanout;
        this.clock = clock;
    }

    /**
     * Tells {@code tap} the universe as it is now, then (unless it is {@code closed}, which ends the
     * tap at once) every change of the whole stream until it is detached or the universe closes.
     */
    void attach(UniverseTap tap, String universe, List<ServerMessage.PlayerInfo> players,
                List<ServerMessage.Appeared> entities, boolean closed) {
        long now = clock.getAsLong();
        tap.started(universe, now, players, entities);
        if (closed) {
            tap.ended(now);
        } else {
            taps.add(tap);
        }
    }

    boolean detach(UniverseTap tap) {
        return taps.remove(tap);
    }

    /** The universe closed: each tap hears it and is let go. */
    void endTaps() {
        for (UniverseTap tap : taps) {
            tap.ended(clock.getAsLong());
        }
        taps.clear();
    }

    /** Adds a member's connection, unless the member is {@code except} or has no connection here. */
    void add(Player member, Player except) {
        if (member != except && member.link != null) {
            links.add(member.link);
        }
    }

    /**
     * Sends the message to those added, if any, and starts afresh for the next event. Every event of
     * the whole universe passes here (appeared, velocity, destroyed, joined, left), whoever is shown
     * it, so the taps hear it here too.
     */
    void send(ServerMessage message) {
        for (int i = 0; i < taps.size(); i++) {
            taps.get(i).event(message, clock.getAsLong());
        }
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
