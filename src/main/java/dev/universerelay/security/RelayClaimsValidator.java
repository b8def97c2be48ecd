package dev.universerelay.security;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Collection;

/**
 * The contract's rules for tokens beyond the signature: {@code exp} is required (Micronaut's own
 * check lets a token without one live forever), {@code exp} and {@code nbf} are honoured with
 * the configured leeway, and {@code universes}, {@code roles} and {@code name} must have the
 * declared types. A token that fails any of them is invalid, so the handshake answers 401.
 */
@Singleton
final class RelayClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>> {
    private final long leewayMillis;

    RelayClaimsValidator(SecurityConfiguration config) {
        this.leewayMillis = config.expLeeway().toMillis();
    }

    @Override
    public boolean validate(@NonNull Claims claims, @Nullable HttpRequest<?> request) {
        long now = System.currentTimeMillis();
        Instant exp = TokenClaims.instant(claims.get("exp"));
        if (exp == null || exp.toEpochMilli() + leewayMillis <= now) {
            return false;
        }
        Object nbfClaim = claims.get("nbf");
        if (nbfClaim != null) {
            Instant nbf = TokenClaims.instant(nbfClaim);
            if (nbf == null || nbf.toEpochMilli() - leewayMillis > now) {
                return false;
            }
        }
        Object sub = claims.get("sub");
        if (!(sub instanceof String s) || s.isBlank()) {
            return false;
        }
        Object name = claims.get("name");
        if (name != null && !(name instanceof String)) {
            return false;
        }
        return isStringList(claims.get("universes"), false) && isStringList(claims.get("roles"), true);
    }

    private static boolean isStringList(@Nullable Object claim, boolean singleStringAllowed) {
        if (claim == null) {
            return true;
        }
        if (claim instanceof String) {
            return singleStringAllowed;
        }
        if (claim instanceof Collection<?> values) {
            return values.stream().allMatch(String.class::isInstance);
        }
        return false;
    }
}
