package dev.universerelay.api;

import io.micronaut.serde.annotation.Serdeable;

/** The body of a refusal that has a status worth repeating (429), in the shape of the handshake refusals. */
@Serdeable
public record ApiStatus(int status, String message) {
}
