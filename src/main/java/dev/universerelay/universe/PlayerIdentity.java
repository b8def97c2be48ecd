package dev.universerelay.universe;

/**
 * Who is connecting, as the token says. The subject is the identity: a second connection with
 * the same subject is the same player.
 *
 * @param origin where the connection comes from (the client address), for the per-address share
 *               of a universe's player slots; null when unknown (members of other nodes)
 */
public record PlayerIdentity(String subject, String name, boolean spectator, String origin) {

    /** An identity of unknown origin, which no per-address share limits. */
    public PlayerIdentity(String subject, String name, boolean spectator) {
        this(subject, name, spectator, null);
    }
}
