package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient.HandshakeRefused;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behind a trusted reverse proxy the client address and origin come from its forwarded headers. */
@MicronautTest
@Property(name = "relay.trusted-proxies", value = "10.0.0.0/8,127.0.0.1")
@Property(name = "relay.session.max-connections-per-address", value = "1")
class TrustedProxyTest {
    @Inject
    Relay relay;

    private RelayTestClient connect(Map<String, String> headers) {
        String token = TestTokens.token("p" + System.nanoTime());
        return relay.connectWithQuery("proxied", "access_token=" + token, BIN, headers);
    }

    @Test
    void thePerAddressCapCountsForwardedClientsSeparately() {
        connect(Map.of("X-Forwarded-For", "203.0.113.7")).awaitType("welcome");
        connect(Map.of("X-Forwarded-For", "203.0.113.8, 10.1.2.3")).awaitType("welcome"); // 10.1.2.3 is a trusted hop
        try {
            connect(Map.of("X-Forwarded-For", "203.0.113.7"));
            throw new AssertionError("a second connection of 203.0.113.7 was accepted");
        } catch (HandshakeRefused e) {
            assertThat(e.status()).isEqualTo(429);
        }
    }

    @Test
    void sameOriginIsJudgedByTheForwardedHostAndScheme() {
        connect(Map.of("X-Forwarded-For", "198.51.100.1", "Origin", "https://game.example.com",
                "X-Forwarded-Host", "game.example.com", "X-Forwarded-Proto", "https")).awaitType("welcome");
        try {
            connect(Map.of("X-Forwarded-For", "198.51.100.2", "Origin", "https://evil.example",
                    "X-Forwarded-Host", "game.example.com", "X-Forwarded-Proto", "https"));
            throw new AssertionError("a foreign origin was accepted");
        } catch (HandshakeRefused e) {
            assertThat(e.status()).isEqualTo(403);
        }
    }
}
