package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.RelayTestClient.HandshakeRefused;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cap on connections from the node: 503 before the upgrade, lifted when one closes. */
@MicronautTest
@Property(name = "relay.session.max-connections-per-address", value = "100")
@Property(name = "relay.session.max-connections", value = "2")
class NodeCapTest {
    @Inject
    EmbeddedServer server;

    @Test
    void connectionsBeyondTheCapGet503UntilOneCloses() {
        RelayTestClient first = RelayTestClient.join(server.getPort(), "caps", "a", BIN);
        RelayTestClient.join(server.getPort(), "caps", "b", BIN);
        try {
            RelayTestClient.connect(server.getPort(), "caps", RelayTestClient.login(server.getPort(), "c"), BIN);
            throw new AssertionError("the third connection was accepted");
        } catch (HandshakeRefused e) {
            assertThat(e.status()).isEqualTo(503);
        }
        first.close(1000);
        first.awaitClose();
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> RelayTestClient.join(server.getPort(), "caps", "d", BIN) != null);
    }
}
