package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient.HandshakeRefused;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An operator drains a node: events already accepted arrive, then 1001; new handshakes get 503. */
@MicronautTest
class DrainTest {
    @Inject
    Relay relay;

    @Test
    void drainingFlushesClosesWith1001RefusesNewcomersAndReportsNotReady() throws Exception {
        RelayTestClient ada = relay.join("drain", "ada", BIN);
        RelayTestClient bob = relay.join("drain", "bob", BIN);
        long id = ada.spawn(1, 0, 0, 0, 0);
        ada.send(new ClientMessage.Move(id, 1, 1, 1, 1));
        ada.fence();
        assertThat(relay.get("/health/readiness").statusCode()).isEqualTo(200);

        String admin = TestTokens.token("operator", Map.of("roles", List.of("admin")));
        HttpResponse<String> drain = relay.call("POST", "/api/admin/drain", admin);
        assertThat(drain.statusCode()).isEqualTo(202);

        assertThat(ada.awaitClose()).isEqualTo(1001);
        assertThat(bob.awaitClose()).isEqualTo(1001);
        assertThat(bob.receivedOfType("velocity")).hasSize(1); // accepted before the drain, delivered before the close
        try {
            relay.connect("drain", relay.login("late"), BIN);
            throw new AssertionError("a handshake was accepted while draining");
        } catch (HandshakeRefused e) {
            assertThat(e.status()).isEqualTo(503);
        }
        assertThat(relay.get("/health/readiness").statusCode()).isEqualTo(503);
    }
}
