package dev.universerelay.api;

import dev.universerelay.limits.Quotas;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.protocol.ProtocolConstants;
import dev.universerelay.security.ProxyTrust;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * Guest tokens for local play and tests: anyone may pick a name and play. Each login is a new
 * identity ({@code sub}), so two guests with the same name are two players. Production
 * deployments switch it off ({@code relay.guest-login.enabled: false}) and use their own tokens.
 * Logins are rate-limited per client address ({@code relay.quotas.login-rate}, 429 with
 * {@code Retry-After}), so that nobody mints thousands of identities a second to fill universes.
 */
@Controller("/api/login")
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = "relay.guest-login.enabled", notEquals = "false")
public class GuestLoginController {
    private final TokenGenerator tokens;
    private final Duration ttl;
    private final Quotas quotas;
    private final ProxyTrust proxies;
    private final Refusals refusals;

    GuestLoginController(TokenGenerator tokens, @Value("${relay.guest-login.token-ttl:1h}") Duration ttl,
                         Quotas quotas, ProxyTrust proxies, Refusals refusals) {
        this.tokens = tokens;
        this.ttl = ttl;
        this.quotas = quotas;
        this.proxies = proxies;
        this.refusals = refusals;
    }

    @Post
    HttpResponse<?> login(HttpRequest<?> http, @Nullable @Body JsonNode request) {
        String address = proxies.clientAddress(http);
        long waitNanos = quotas.login(address);
        if (waitNanos > 0) {
            refusals.refuse(RefusalReason.LOGIN_RATE, address, "guest login");
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                    .body(new ApiStatus(429, "too many logins from your address; retry in " + seconds + " s"));
        }
        // Read as a tree, not bound to a record: binding would quietly turn {"name":5} into "5".
        JsonNode field = request == null || !request.isObject() ? null : request.get("name");
        String name = field != null && field.isString() ? field.getStringValue() : null;
        if (name == null || !ProtocolConstants.PLAYER_NAME.matcher(name).matches()) {
            return HttpResponse.badRequest(new ApiError("name must be 1 to 32 characters of A-Z a-z 0-9 _ -"));
        }
        long now = System.currentTimeMillis();
        String token = tokens.generateToken(Map.of(
                "sub", "guest-" + UUID.randomUUID(),
                "name", name,
                "iat", new Date(now),
                "exp", new Date(now + ttl.toMillis())))
                .orElse(null);
        if (token == null) {
            return HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR).body(new ApiError("could not sign a token"));
        }
        return HttpResponse.ok(new LoginResponse(token, "Bearer", ttl.toSeconds()));
    }

    /** The token, in the shape of an OAuth 2 token response. */
    @Serdeable
    public record LoginResponse(@com.fasterxml.jackson.annotation.JsonProperty("access_token") String accessToken,
                                @com.fasterxml.jackson.annotation.JsonProperty("token_type") String tokenType,
                                @com.fasterxml.jackson.annotation.JsonProperty("expires_in") long expiresIn) {
    }
}
