package dev.universerelay.transport;

import io.micronaut.serde.annotation.Serdeable;

/** The JSON body of a refused handshake, so tools that show it say why. */
@Serdeable
record HandshakeRefusal(int status, String message) {
}
