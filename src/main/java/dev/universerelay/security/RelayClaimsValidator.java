package dev.universerelay.security;

import dev.universerelay.protocol.ProtocolConstants;
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
 * the configured leeway, and {@code sub}, {@code name}, {@code universes} and {@code roles} must
 * have the declared types and sizes: {@code sub} a string of 1 to {@value #MAX_SUBJECT_LENGTH}
 * characters, {@code name} (when present) a player name by the same rule as guest logins
 * ({@link ProtocolConstants#PLAYER_NAME}, since every other player is sent it), {@code universes}
 * and {@code roles} at most {@value #MAX_LIST_ENTRIES} strings of at most
 * {@value #MAX_ENTRY_LENGTH} characters. A token that fails any of them is invalid, so the
 * handshake answers 401: an identity provider's integrator sees the mistake at once, where a
 * silently replaced name would surface as a player bug later.
 */
@Singleton
final class RelayClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>> {
    static final int MAX_SUBJECT_LENGTH = 128;
    static final int MAX_LIST_ENTRIES = 64;
    static final int MAX_ENTRY_LENGTH = 128;

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
        if (!(sub instanceof String s) || s.isBlank() || s.length() > MAX_SUBJECT_LENGTH) {
            return false;
        }
        Object name = claims.get("name");
        if (name != null && !(name instanceof String n && ProtocolConstants.PLAYER_NAME.matcher(n).matches())) {
            return false;
        }
        return isStringList(claims.get("universes"), false) && isStringList(claims.get("roles"), true);
    }

    private static boolean isStringList(@Nullable Object claim, boolean singleStringAllowed) {
        if (claim == null) {
            return true;
        }
        if (claim instanceof String value) {
            return singleStringAllowed && value.length() <= MAX_ENTRY_LENGTH;
        }
        if (claim instanceof Collection<?> values) {
            return values.size() <= MAX_LIST_ENTRIES
                    && values.stream().allMatch(v -> v instanceof String value && value.length() <= MAX_ENTRY_LENGTH);
        }
        return false;
    }
}
