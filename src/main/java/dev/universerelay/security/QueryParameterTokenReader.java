package dev.universerelay.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
        return Optional.ofNullable(parameter(rawQuery(request), PARAMETER)).filter(token -> !token.isBlank());
    }

    /**
     * The raw query of the request line, cut from the URI string Netty decoded, without asking
     * the request for its {@code java.net.URI}: Micronaut builds that object lazily and the request
     * keeps it for as long as the WebSocket lives, with one more copy of the query (the token
     * included), about 350 bytes per idle connection (docs/benchmarks/history.md, "Memory as users
     * start the relay"). Other requests fall back to {@link HttpRequest#getUri()}.
     */
    static String rawQuery(HttpRequest<?> request) {
        if (!(request instanceof NettyHttpRequest<?> netty)) {
            return request.getUri().getRawQuery();
        }
        return rawQueryOf(netty.getNativeRequest().uri());
    }

    /** The raw query of a request-line URI (between {@code ?} and any {@code #}); null when it has none. */
    static String rawQueryOf(String uri) {
        int question = uri.indexOf('?');
        if (question < 0) {
            return null;
        }
        int fragment = uri.indexOf('#', question);
        return uri.substring(question + 1, fragment < 0 ? uri.length() : fragment);
    }

    /**
     * The first value of a query parameter, decoded; null when absent. Read from the raw query
     * ({@link #rawQuery}) rather than
     * from {@code getParameters()}, whose decoded map the request would keep, token included, for
     * as long as the connection lives.
     */
    static String parameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            int equals = rawQuery.indexOf('=', start);
            int nameEnd = equals >= 0 && equals < end ? equals : end;
            if (decode(rawQuery.substring(start, nameEnd)).equals(name)) {
                return nameEnd == end ? "" : decode(rawQuery.substring(nameEnd + 1, end));
            }
            start = end + 1;
        }
        return null;
    }

    private static String decode(String raw) {
        try {
            return raw.indexOf('%') < 0 && raw.indexOf('+') < 0 ? raw : URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return raw;
        }
    }

    @Override
    public int getOrder() {
        return 10; // after the Authorization header, which wins when both are present
    }
}
