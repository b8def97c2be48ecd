package dev.universerelay.universe;

/**
 * One member of a universe as operators see it (admin API, console): enough to recognise and kick
 * it, nothing of its connection. {@code connected} is false during the resume grace period.
 */
public record UniverseMember(long player, String name, boolean spectator, boolean connected, int entities) {
}
