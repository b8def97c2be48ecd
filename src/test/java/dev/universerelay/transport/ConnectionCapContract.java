package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient.HandshakeRefused;
import dev.universerelay.support.RelayTestClient;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A connection cap of two, whichever it is: the third handshake is refused before the upgrade with
 * the cap's status, and accepted again once one connection has closed. Subclasses set the cap.
 */
abstract class ConnectionCapContract {
    @Inject
    Relay relay;

    /** The HTTP status of this cap. */
    abstract int refusalStatus();

    @Test
    void connectionsBeyondTheCapAreRefusedUntilOneCloses() {
        RelayTestClient first = relay.join("caps", "a", BIN);
        relay.join("caps", "b", BIN);
        try {
            relay.connect("caps", relay.login("c"), BIN);
            throw new AssertionError("the third connection was accepted");
        } catch (HandshakeRefused e) {
            assertThat(e.status()).isEqualTo(refusalStatus());
        }
        first.close(1000);
        first.awaitClose();
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> relay.join("caps", "d", BIN) != null);
    }
}
