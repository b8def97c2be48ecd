package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.List;

/**
 * Delivers one message to many links. It exists so that the transport can encode a message once
 * per wire format and share the bytes, instead of once per recipient.
 */
@FunctionalInterface
public interface Fanout {

    /** A fan-out that hands the message to each link in turn. */
    Fanout EACH = (message, recipients) -> {
        for (PlayerLink link : recipients) {
            link.send(message);
        }
    };

    void send(ServerMessage message, List<PlayerLink> recipients);
}
