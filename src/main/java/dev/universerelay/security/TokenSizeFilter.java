package dev.universerelay.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Refuses a token longer than {@value #MAX_TOKEN_CHARS} characters with 401 before anything
 * decodes it: no identity provider issues one that large (a typical JWT is under 1 KiB), and
 * without the bound each handshake could make the node parse and verify a token as large as the
 * request line allows. Runs after the handshake filter, so that the handshake contract's order
 * (403, 400, 503, 429, then 401) holds, and before the security filter.
 */
@ServerFilter("/**")
final class TokenSizeFilter implements Ordered {
    static final int MAX_TOKEN_CHARS = 4096;
    private static final String BEARER = "Bearer ";

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        String authorization = request.getHeaders().get(io.micronaut.http.HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.length() > MAX_TOKEN_CHARS + BEARER.length()) {
            return tooLong();
        }
        if (request.getPath().startsWith("/ws/")) {
            String rawQuery = request.getUri().getRawQuery();
            if (rawQuery != null && rawQuery.length() > MAX_TOKEN_CHARS) {
                String token = QueryParameterTokenReader.parameter(rawQuery, QueryParameterTokenReader.PARAMETER);
                if (token != null && token.length() > MAX_TOKEN_CHARS) {
                    return tooLong();
                }
            }
        }
        return null;
    }

    private static HttpResponse<?> tooLong() {
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .body(new TokenRefusal(401, "tokens are at most " + MAX_TOKEN_CHARS + " characters"));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before() + 1;
    }

    /** The JSON body of the refusal, in the shape of the handshake refusals. */
    @Serdeable
    record TokenRefusal(int status, String message) {
    }
}
