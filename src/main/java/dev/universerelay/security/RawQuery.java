package dev.universerelay.security;

import io.micronaut.http.HttpRequest;

/**
 * A handshake's raw query for the edges that read parameters besides the token (a delayed
 * spectator's {@code delay}), read like the token is ({@link QueryParameterTokenReader#rawQuery}):
 * from Netty's request line, never through {@link HttpRequest#getUri()}, whose object the upgrade
 * request would keep for the life of the connection.
 */
public final class RawQuery {
    private RawQuery() {
    }

    /** The raw query, or null when the request has none. */
    public static String of(HttpRequest<?> request) {
        return QueryParameterTokenReader.rawQuery(request);
    }
}
