package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
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
    Relay relay;

    @Test
    void aClientThatAnswersNoPingIsClosedWith1001AndOneThatDoesStays() throws Exception {
        RelayTestClient alive = relay.join("heartbeat", "alive", BIN);
        try (RawWebSocket silent = RawWebSocket.open(relay.port(), "heartbeat", TestTokens.token("silent"))) {
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
        RelayTestClient brief = relay.connect("expiry", shortLived, BIN);
        brief.awaitType("welcome");
        assertThat(brief.awaitClose()).isEqualTo(4001);
    }

    @Test
    void aFullUniverseClosesNewPlayersWith4004ButNotSpectators() {
        relay.join("full", "one", BIN);
        relay.join("full", "two", BIN);
        RelayTestClient three = relay.connect("full", relay.login("three"), BIN);
        assertThat(three.awaitClose()).isEqualTo(4004);
        assertThat(three.receivedOfType("welcome")).isEmpty();
        String spectator = TestTokens.token("watcher", Map.of("roles", "spectator"));
        relay.connect("full", spectator, BIN).awaitType("welcome");
    }
}
