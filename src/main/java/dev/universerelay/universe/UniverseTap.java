package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.List;

/**
 * Someone who wants the whole, ordered story of a universe (a recorder, a delay line for delayed
 * spectators), not one player's view of it: the state when it starts listening, then every
 * {@code appeared}, {@code velocity}, {@code destroyed}, {@code joined} and {@code left} with the
 * server time it happened at, whatever interest management shows each player. The universe calls
 * it while holding its lock, so implementations only enqueue: never block, never do I/O.
 */
public interface UniverseTap {

    /** The universe's members (spectators excluded) and entities at {@code serverTime}, when the tap is attached. */
    void started(String universe, long serverTime, List<ServerMessage.PlayerInfo> players,
                 List<ServerMessage.Appeared> entities);

    /** One change, in the universe's order: {@code Appeared}, {@code Velocity}, {@code Destroyed}, {@code Joined}, {@code Left}. */
    void event(ServerMessage message, long serverTime);

    /** The universe closed (its last member left) or the tap was detached; no call follows. */
    void ended(long serverTime);
}
