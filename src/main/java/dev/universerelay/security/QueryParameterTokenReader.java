package dev.universerelay.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Reads the token from {@code ?access_token=} on WebSocket paths. Browsers cannot set an
 * {@code Authorization} header on a WebSocket, so this is how every browser game authenticates.
 * Limited to {@code /ws/} so that tokens never end up in HTTP API URLs (and their logs).
 */
@Singleton
final class QueryParameterTokenReader implements TokenReader<HttpRequest<?>> {
    static final String PARAMETER = "access_token";

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        if (!request.getPath().startsWith("/ws/")) {
            return Optional.empty();
        }
        return request.getParameters().getFirst(PARAMETER).filter(token -> !token.isBlank());
    }

    @Override
    public int getOrder() {
        return 10; // after the Authorization header, which wins when both are present
    }
}
