package dev.universerelay.security;

import dev.universerelay.protocol.UniverseNamePatterns;
import io.micronaut.security.authentication.Authentication;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * What the relay needs from a validated token, read once at the handshake.
 *
 * @param universes null when the token allows every universe
 */
public record TokenClaims(String subject, String name, boolean spectator, List<String> universes, Instant expiresAt) {

    public static final String SPECTATOR_ROLE = "spectator";
    public static final String ADMIN_ROLE = "admin";

    public static TokenClaims of(Authentication authentication) {
        Map<String, Object> attributes = authentication.getAttributes();
        String subject = authentication.getName();
        Object name = attributes.get("name");
        boolean spectator = authentication.getRoles().contains(SPECTATOR_ROLE)
                || SPECTATOR_ROLE.equals(attributes.get("roles"));
        List<String> universes = attributes.get("universes") instanceof Collection<?> list
                ? list.stream().map(String::valueOf).toList() : null;
        return new TokenClaims(subject, name instanceof String s && !s.isBlank() ? s : subject, spectator, universes,
                instant(attributes.get("exp")));
    }

    /** Whether the {@code universes} claim lets this token into a universe: names, {@code prefix*}, or {@code *}. */
    public boolean allows(String universe) {
        return universes == null || UniverseNamePatterns.anyMatches(universes, universe);
    }

    static Instant instant(Object claim) {
        if (claim instanceof Date date) {
            return date.toInstant();
        }
        if (claim instanceof Instant instant) {
            return instant;
        }
        if (claim instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        return null;
    }
}
