package dev.universerelay.universe;

/**
 * Who is connecting, as the token says. The subject is the identity: a second connection with
 * the same subject is the same player.
 */
public record PlayerIdentity(String subject, String name, boolean spectator) {
}
