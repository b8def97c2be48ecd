package dev.universerelay.security;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.protocol.ProtocolConstants;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.util.Base64;

/**
 * Refuses with 401, before the security filter decodes it, a token longer than
 * {@value #MAX_TOKEN_CHARS} characters (no identity provider issues one that large, a typical JWT
 * is under 1 KiB, and without the bound each handshake could make the node parse and verify a
 * token as large as the request line allows) and a token whose {@code sub} is not a JSON string
 * (the JWT library would turn a number into its text, so the claims validator never sees it).
 * Runs after the handshake filter, so that the handshake contract's order (403, 400, 503, 429,
 * then 401) holds.
 */
@ServerFilter("/**")
final class TokenShapeFilter implements Ordered {
    static final int MAX_TOKEN_CHARS = 4096;
    private static final String BEARER = "Bearer ";

    private final JsonMapper json;
    private final Refusals refusals;
    private final ProxyTrust proxies;

    TokenShapeFilter(JsonMapper json, Refusals refusals, ProxyTrust proxies) {
        this.json = json;
        this.refusals = refusals;
        this.proxies = proxies;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        String token = null;
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            token = authorization.substring(BEARER.length()).trim();
        } else if (request.getPath().startsWith("/ws/")) {
            token = QueryParameterTokenReader.parameter(QueryParameterTokenReader.rawQuery(request), QueryParameterTokenReader.PARAMETER);
        }
        if (token == null) {
            return null;
        }
        String problem = token.length() > MAX_TOKEN_CHARS
                ? "tokens are at most " + MAX_TOKEN_CHARS + " characters" : problem(token);
        if (problem == null) {
            return null;
        }
        refusals.refuse(RefusalReason.BAD_TOKEN, proxies.clientAddress(request), problem);
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).body(new TokenRefusal(401, problem));
    }

    /**
     * What is wrong with a well-formed JWT payload's {@code sub} and {@code name} (the rules of
     * {@link RelayClaimsValidator}, which enforces them after the signature too), said here so that
     * an identity provider's integrator reads why in the 401; null when nothing is, or when the token
     * is no JWT at all (that is the security filter's to refuse).
     */
    private String problem(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        JsonNode claims;
        try {
            claims = json.readValue(Base64.getUrlDecoder().decode(token.substring(first + 1, second)), JsonNode.class);
        } catch (IOException | IllegalArgumentException malformed) {
            return null;
        }
        if (claims == null || !claims.isObject()) {
            return null;
        }
        JsonNode sub = claims.get("sub");
        if (sub != null && (!sub.isString() || sub.getStringValue().isBlank()
                || sub.getStringValue().length() > RelayClaimsValidator.MAX_SUBJECT_LENGTH)) {
            return "the token's sub must be a string of 1 to " + RelayClaimsValidator.MAX_SUBJECT_LENGTH + " characters";
        }
        JsonNode name = claims.get("name");
        if (name != null && !(name.isString() && ProtocolConstants.PLAYER_NAME.matcher(name.getStringValue()).matches())) {
            return "the token's name must be 1 to 32 characters of A-Z a-z 0-9 _ - (or absent)";
        }
        return null;
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
