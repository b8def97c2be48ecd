package dev.universerelay.universe;

import dev.universerelay.protocol.ErrorCode;

/** Why the universe refused an action; nothing changed when this is returned. */
public record Rejection(ErrorCode code, String message) {
}
