package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Heartbeats, token expiry and the connection caps (protocol sections 2, 7 and 11). */
@MicronautTest
@Property(name = "relay.session.ping-interval", value = "300ms")
@Property(name = "relay.session.idle-timeout", value = "1200ms")
@Property(name = "relay.limits.max-players-per-universe", value = "2")
class LifecycleTest {
    @Inject
    EmbeddedServer server;

    private int port() {
        return server.getPort();
    }

    @Test
    void aClientThatAnswersNoPingIsClosedWith1001AndOneThatDoesStays() throws Exception {
        RelayTestClient alive = RelayTestClient.join(port(), "heartbeat", "alive", BIN);
        try (RawWebSocket silent = RawWebSocket.open(port(), "heartbeat", TestTokens.hs256(TestTokens.claims("silent", Map.of())))) {
            long start = System.nanoTime();
            assertThat(silent.readCloseCode()).isEqualTo(1001);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        assertThat(alive.isClosed()).isFalse(); // the JDK client answers pings, so it is never idle
    }

    @Test
    void theConnectionIsClosedWith4001WhenTheTokenExpires() {
        String shortLived = TestTokens.hs256(TestTokens.claims("brief",
                Map.of("exp", Date.from(Instant.now().plusSeconds(2)))));
        RelayTestClient brief = RelayTestClient.connect(port(), "expiry", shortLived, BIN);
        brief.awaitType("welcome");
        assertThat(brief.awaitClose()).isEqualTo(4001);
    }

    @Test
    void aFullUniverseClosesNewPlayersWith4004ButNotSpectators() {
        RelayTestClient.join(port(), "full", "one", BIN);
        RelayTestClient.join(port(), "full", "two", BIN);
        RelayTestClient three = RelayTestClient.connect(port(), "full", RelayTestClient.login(port(), "three"), BIN);
        assertThat(three.awaitClose()).isEqualTo(4004);
        assertThat(three.receivedOfType("welcome")).isEmpty();
        String spectator = TestTokens.hs256(TestTokens.claims("watcher", Map.of("roles", "spectator")));
        RelayTestClient.connect(port(), "full", spectator, BIN).awaitType("welcome");
    }
}
