package dev.universerelay.api;

import io.micronaut.serde.annotation.Serdeable;

/** The body of an HTTP API error: one sentence a developer can act on. */
@Serdeable
public record ApiError(String message) {
}
