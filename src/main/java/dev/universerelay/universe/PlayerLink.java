package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;

/**
 * The universe's view of one connection: somewhere to put messages for one player and a way to
 * end it. Implementations must not block: the universe calls them while it holds its lock.
 */
public interface PlayerLink {

    void send(ServerMessage message);

    void close(int closeCode, String reason);
}
