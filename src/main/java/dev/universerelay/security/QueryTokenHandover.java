package dev.universerelay.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Moves a universe handshake's {@code ?access_token=} into an {@code Authorization: Bearer} header
 * before Micronaut sees the request. Micronaut's WebSocket upgrade keeps the handshake URL for as
 * long as the socket lives (in Netty's handshaker, which Micronaut's per-connection HTTP handler
 * holds), so a token in the URL stayed in memory with every connection: a copy of a credential,
 * and about 250 bytes of each idle connection's heap (docs/performance.md, "Memory per idle
 * connection"). In a header it is gone with the request once the upgrade is done.
 *
 * <p>Nothing else changes: the Authorization header is read first anyway ({@link
 * QueryParameterTokenReader#getOrder}), {@link TokenShapeFilter} checks it the same way, and the
 * request is left as it came when it already has an Authorization header (which wins), when its
 * token is empty, or when the decoded token has characters a header cannot carry (the query reader
 * then reads it and the security filter refuses it, as before). Other parameters keep their order.
 */
public final class QueryTokenHandover {
    private static final String BEARER = "Bearer ";

    private QueryTokenHandover() {
    }

    /** Moves the token of {@code request}'s query into its headers when it can; see the class comment. */
    public static void moveToHeader(HttpRequest request) {
        String uri = request.uri();
        String query = QueryParameterTokenReader.rawQueryOf(uri);
        if (query == null || request.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
            return;
        }
        String token = QueryParameterTokenReader.parameter(query, QueryParameterTokenReader.PARAMETER);
        if (token == null || token.isBlank() || !fitsAHeader(token)) {
            return;
        }
        request.headers().set(HttpHeaderNames.AUTHORIZATION, BEARER + token);
        int question = uri.indexOf('?');
        String rest = withoutParameter(query, QueryParameterTokenReader.PARAMETER);
        request.setUri(uri.substring(0, question) + (rest.isEmpty() ? "" : "?" + rest)
                + uri.substring(question + 1 + query.length()));
    }

    /** A token of visible ASCII only: what a JWT is made of, and what a header value may hold. */
    private static boolean fitsAHeader(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** {@code rawQuery} without any {@code name=...} pair (the reader takes the first; none may stay). */
    static String withoutParameter(String rawQuery, String name) {
        StringBuilder kept = new StringBuilder(rawQuery.length());
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            String pair = rawQuery.substring(start, end);
            if (QueryParameterTokenReader.parameter(pair, name) == null && !pair.isEmpty()) {
                if (!kept.isEmpty()) {
                    kept.append('&');
                }
                kept.append(pair);
            }
            start = end + 1;
        }
        return kept.toString();
    }
}
