package dev.universerelay.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code universes} claim (protocol sections 9 and 11). */
class TokenClaimsTest {

    static TokenClaims claims(List<String> universes) {
        return new TokenClaims("sub", "name", false, universes, Instant.EPOCH);
    }

    @Test
    void anAbsentClaimAllowsEveryUniverse() {
        TokenClaims any = claims(null);
        assertThat(any.allows("alpha")).isTrue();
        assertThat(any.allows("x")).isTrue();
        assertThat(any.allows("team-1_A")).isTrue();
    }

    @Test
    void anEmptyClaimAllowsNone() {
        assertThat(claims(List.of()).allows("alpha")).isFalse();
    }

    @Test
    void exactNamesAllowOnlyThemselves() {
        TokenClaims named = claims(List.of("alpha", "beta"));
        assertThat(named.allows("alpha")).isTrue();
        assertThat(named.allows("beta")).isTrue();
        assertThat(named.allows("gamma")).isFalse();
        assertThat(named.allows("alpha2")).isFalse();
        assertThat(named.allows("alph")).isFalse();
        assertThat(named.allows("Alpha")).isFalse();
        assertThat(named.allows("xalpha")).isFalse();
    }

    @Test
    void aPrefixStarAllowsNamesStartingWithThePrefix() {
        TokenClaims prefixed = claims(List.of("team-*"));
        assertThat(prefixed.allows("team-1")).isTrue();
        assertThat(prefixed.allows("team-red_2")).isTrue();
        assertThat(prefixed.allows("team-")).isTrue();
        assertThat(prefixed.allows("team")).isFalse();
        assertThat(prefixed.allows("Team-1")).isFalse();
        assertThat(prefixed.allows("my-team-1")).isFalse();
    }

    @Test
    void aStarInsideANameIsLiteral() {
        TokenClaims literal = claims(List.of("a*b"));
        assertThat(literal.allows("a*b")).isTrue();
        assertThat(literal.allows("axb")).isFalse();
        assertThat(literal.allows("ab")).isFalse();
    }

    @Test
    void aStarAloneAllowsEveryUniverse() {
        TokenClaims star = claims(List.of("*"));
        assertThat(star.allows("alpha")).isTrue();
        assertThat(star.allows("x")).isTrue();
        assertThat(claims(List.of("beta", "*")).allows("alpha")).isTrue();
    }

    @Test
    void namesAndPrefixesMix() {
        TokenClaims mixed = claims(List.of("lobby", "room-*"));
        assertThat(mixed.allows("lobby")).isTrue();
        assertThat(mixed.allows("room-9")).isTrue();
        assertThat(mixed.allows("lobby-2")).isFalse();
        assertThat(mixed.allows("roo")).isFalse();
    }

    @Test
    void expiryIsReadFromTheUsualClaimTypes() {
        Instant at = Instant.ofEpochSecond(1_763_830_000L);
        assertThat(TokenClaims.instant(Date.from(at))).isEqualTo(at);
        assertThat(TokenClaims.instant(at)).isEqualTo(at);
        assertThat(TokenClaims.instant(1_763_830_000L)).isEqualTo(at);
        assertThat(TokenClaims.instant(1_763_830_000)).isEqualTo(at);
        assertThat(TokenClaims.instant("1763830000")).isNull();
        assertThat(TokenClaims.instant(null)).isNull();
    }
}
