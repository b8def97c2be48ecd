package dev.universerelay.universe;

/** What became of a connection that asked to enter a universe. */
public sealed interface JoinResult {

    /** In, with a {@code welcome} already queued on the link. {@code resumed}: same player as before. */
    record Entered(Player player, boolean resumed) implements JoinResult {
    }

    /** Refused: the universe holds its maximum number of players. */
    record Full() implements JoinResult {
    }

    /** Refused: players from the same origin (client address) hold their share of the universe's slots. */
    record OriginShareFull() implements JoinResult {
    }

    /** The universe emptied and closed meanwhile; ask the registry again. */
    record Closed() implements JoinResult {
    }
}
