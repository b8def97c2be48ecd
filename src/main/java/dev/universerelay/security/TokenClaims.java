package dev.universerelay.security;

import dev.universerelay.protocol.ProtocolConstants;
import dev.universerelay.protocol.UniverseNamePatterns;
import io.micronaut.security.authentication.Authentication;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * What the relay needs from a validated token, read once at the handshake. A token without a
 * {@code name} plays under its {@code sub} when that is a valid player name, else under
 * {@value #DEFAULT_NAME} (a {@code sub} such as {@code auth0|5f7c} is an identity, not a name to show).
 *
 * @param universes null when the token allows every universe
 */
public record TokenClaims(String subject, String name, boolean spectator, List<String> universes, Instant expiresAt) {

    public static final String SPECTATOR_ROLE = "spectator";
    public static final String ADMIN_ROLE = "admin";
    /** The name of a player whose token has no {@code name} and whose {@code sub} is not a valid name. */
    public static final String DEFAULT_NAME = "player";

    public static TokenClaims of(Authentication authentication) {
        Map<String, Object> attributes = authentication.getAttributes();
        String subject = authentication.getName();
        Object name = attributes.get("name");
        boolean spectator = authentication.getRoles().contains(SPECTATOR_ROLE)
                || SPECTATOR_ROLE.equals(attributes.get("roles"));
        List<String> universes = attributes.get("universes") instanceof Collection<?> list
                ? list.stream().map(String::valueOf).toList() : null;
        return new TokenClaims(subject, displayName(name, subject), spectator, universes, instant(attributes.get("exp")));
    }

    private static String displayName(Object name, String subject) {
        if (name instanceof String s && ProtocolConstants.PLAYER_NAME.matcher(s).matches()) {
            return s; // the claims validator refused any other name already
        }
        return subject != null && ProtocolConstants.PLAYER_NAME.matcher(subject).matches() ? subject : DEFAULT_NAME;
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
