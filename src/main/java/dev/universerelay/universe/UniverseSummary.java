package dev.universerelay.universe;

/** A consistent view of one universe's size, read under its lock, for the HTTP API, metrics and the console. */
public record UniverseSummary(String name, int players, int spectators, int entities, long createdAt) {
}
