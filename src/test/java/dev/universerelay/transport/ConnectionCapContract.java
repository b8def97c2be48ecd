package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.RelayTestClient.HandshakeRefused;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A connection cap of two, whichever it is: the third handshake is refused before the upgrade with
 * the cap's status, and accepted again once one connection has closed. Subclasses set the cap.
 */
abstract class ConnectionCapContract {
    @Inject
    EmbeddedServer server;

    /** The HTTP status of this cap. */
    abstract int refusalStatus();

    @Test
    void connectionsBeyondTheCapAreRefusedUntilOneCloses() {
        RelayTestClient first = RelayTestClient.join(server.getPort(), "caps", "a", BIN);
        RelayTestClient.join(server.getPort(), "caps", "b", BIN);
        try {
            RelayTestClient.connect(server.getPort(), "caps", RelayTestClient.login(server.getPort(), "c"), BIN);
            throw new AssertionError("the third connection was accepted");
        } catch (HandshakeRefused e) {
            assertThat(e.status()).isEqualTo(refusalStatus());
        }
        first.close(1000);
        first.awaitClose();
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> RelayTestClient.join(server.getPort(), "caps", "d", BIN) != null);
    }
}
