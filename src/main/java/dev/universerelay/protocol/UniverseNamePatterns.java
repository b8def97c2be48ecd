package dev.universerelay.protocol;

import java.util.Collection;

/**
 * Lists of universe names as tokens and configuration write them: an exact name, {@code prefix*},
 * or {@code *} for every universe. One reading of them, so that a token's {@code universes} claim
 * and {@code relay.interest.universes} can never disagree on what a pattern means.
 */
public final class UniverseNamePatterns {
    private UniverseNamePatterns() {
    }

    /** Whether any of the patterns matches the universe name. */
    public static boolean anyMatches(Collection<String> patterns, String universe) {
        for (String pattern : patterns) {
            if (pattern.endsWith("*") ? universe.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(universe)) {
                return true;
            }
        }
        return false;
    }
}
