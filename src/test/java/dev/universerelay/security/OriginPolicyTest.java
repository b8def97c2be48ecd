package dev.universerelay.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which pages may open a relay socket (protocol section 2, and section 11 "Same origin"). */
class OriginPolicyTest {
    final OriginPolicy sameOriginOnly = new OriginPolicy(List.of());

    @Test
    void noOriginIsANonBrowserClientAndAllowed() {
        assertThat(sameOriginOnly.allows(null, "relay.example.com", true)).isTrue();
        assertThat(sameOriginOnly.allows(null, null, false)).isTrue();
    }

    @Test
    void theSameOriginIsAllowed() {
        assertThat(sameOriginOnly.allows("http://localhost:8080", "localhost:8080", false)).isTrue();
        assertThat(sameOriginOnly.allows("https://relay.example.com", "relay.example.com", true)).isTrue();
        assertThat(sameOriginOnly.allows("http://127.0.0.1:8080", "127.0.0.1:8080", false)).isTrue();
        assertThat(sameOriginOnly.allows("http://[::1]:8080", "[::1]:8080", false)).isTrue();
    }

    @Test
    void theDefaultPortMayBeWrittenOrNot() {
        assertThat(sameOriginOnly.allows("https://relay.example.com:443", "relay.example.com", true)).isTrue();
        assertThat(sameOriginOnly.allows("https://relay.example.com", "relay.example.com:443", true)).isTrue();
        assertThat(sameOriginOnly.allows("http://relay.example.com:80", "relay.example.com", false)).isTrue();
        assertThat(sameOriginOnly.allows("http://relay.example.com", "relay.example.com:80", false)).isTrue();
    }

    @Test
    void schemeAndHostAreCaseInsensitive() {
        assertThat(sameOriginOnly.allows("HTTPS://Relay.Example.COM", "relay.example.com", true)).isTrue();
        assertThat(sameOriginOnly.allows("https://relay.example.com", "RELAY.example.com", true)).isTrue();
    }

    @Test
    void anotherOriginIsRefused() {
        assertThat(sameOriginOnly.allows("https://evil.example.net", "relay.example.com", true)).isFalse();
        // Another port, another scheme, a sub- or super-domain, a look-alike: all other origins.
        assertThat(sameOriginOnly.allows("http://localhost:3000", "localhost:8080", false)).isFalse();
        assertThat(sameOriginOnly.allows("http://localhost", "localhost:8080", false)).isFalse();
        assertThat(sameOriginOnly.allows("http://relay.example.com", "relay.example.com", true)).isFalse();
        assertThat(sameOriginOnly.allows("https://relay.example.com", "relay.example.com", false)).isFalse();
        assertThat(sameOriginOnly.allows("https://relay.example.com:8443", "relay.example.com", true)).isFalse();
        assertThat(sameOriginOnly.allows("https://game.relay.example.com", "relay.example.com", true)).isFalse();
        assertThat(sameOriginOnly.allows("https://example.com", "relay.example.com", true)).isFalse();
        assertThat(sameOriginOnly.allows("https://relay.example.com.evil.net", "relay.example.com", true)).isFalse();
    }

    @Test
    void withoutAHostOnlyTheAllowListCounts() {
        assertThat(sameOriginOnly.allows("http://localhost:8080", null, false)).isFalse();
        OriginPolicy listed = new OriginPolicy(List.of("http://localhost:8080"));
        assertThat(listed.allows("http://localhost:8080", null, false)).isTrue();
    }

    @Test
    void theAllowListLetsItsOriginsIn() {
        OriginPolicy policy = new OriginPolicy(List.of("https://game.example.com", "http://localhost:3000",
                "HTTPS://Other.Example.org:8443/", "not an origin"));

        assertThat(policy.allows("https://game.example.com", "relay.example.com", true)).isTrue();
        assertThat(policy.allows("https://game.example.com:443", "relay.example.com", true)).isTrue();
        assertThat(policy.allows("https://GAME.example.com", "relay.example.com", true)).isTrue();
        assertThat(policy.allows("http://localhost:3000", "relay.example.com", true)).isTrue();
        assertThat(policy.allows("https://other.example.org:8443", "relay.example.com", true)).isTrue();
        // Same origin still works beside the list.
        assertThat(policy.allows("https://relay.example.com", "relay.example.com", true)).isTrue();

        assertThat(policy.allows("http://game.example.com", "relay.example.com", true)).isFalse();
        assertThat(policy.allows("https://game.example.com:8443", "relay.example.com", true)).isFalse();
        assertThat(policy.allows("https://evil.game.example.com", "relay.example.com", true)).isFalse();
        assertThat(policy.allows("https://game.example.com.evil.net", "relay.example.com", true)).isFalse();
        assertThat(policy.allows("http://localhost:3001", "relay.example.com", true)).isFalse();
        assertThat(policy.allows("https://other.example.org", "relay.example.com", true)).isFalse();
    }

    @Test
    void aStarLetsEveryOriginIn() {
        OriginPolicy any = new OriginPolicy(List.of("*"));
        assertThat(any.allows("https://evil.example.net", "relay.example.com", true)).isTrue();
        assertThat(any.allows("http://localhost:3000", "localhost:8080", false)).isTrue();
        assertThat(any.allows("https://x.example", null, true)).isTrue();
        assertThat(any.allows(null, null, true)).isTrue();
    }

    @ParameterizedTest(name = "garbage origin {0}")
    @ValueSource(strings = {"", " ", "null", "*", "not an origin", "localhost:8080", "//localhost:8080", "http://",
            "http:// localhost:8080", "http://local host:8080", "http://localhost:port", "file:///etc/passwd",
            "javascript:alert(1)", "data:text/html,hi", "http://[::1", "\u0000", "http://localhost:8080\nX: y"})
    void aGarbageOriginIsRefused(String origin) {
        assertThat(sameOriginOnly.allows(origin, "localhost:8080", false)).isFalse();
        assertThat(new OriginPolicy(List.of("http://localhost:8080")).allows(origin, "localhost:8080", false)).isFalse();
    }

    @Test
    void normaliseMakesTheDefaultPortExplicit() {
        assertThat(OriginPolicy.normalise("https://A.example")).isEqualTo("https://a.example:443");
        assertThat(OriginPolicy.normalise("http://a.example")).isEqualTo("http://a.example:80");
        assertThat(OriginPolicy.normalise("wss://a.example")).isEqualTo("wss://a.example:443");
        assertThat(OriginPolicy.normalise("http://a.example:8080/")).isEqualTo("http://a.example:8080");
        assertThat(OriginPolicy.normalise("nonsense")).isNull();
    }
}
