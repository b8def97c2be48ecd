package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient.HandshakeRefused;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A node holds at most relay.session.max-universes universes; existing ones stay joinable. */
@MicronautTest
@Property(name = "relay.session.max-universes", value = "2")
class UniverseCapTest {
    @Inject
    Relay relay;

    @Test
    void aThirdUniverseGets503UntilOneEmpties() {
        RelayTestClient first = relay.join("one", "a", BIN);
        RelayTestClient second = relay.join("two", "b", BIN);
        try {
            relay.connect("three", relay.login("c"), BIN);
            throw new AssertionError("a third universe was created");
        } catch (HandshakeRefused e) {
            assertThat(e.status()).isEqualTo(503);
        }
        relay.join("one", "d", BIN); // joining an existing universe is fine
        first.close(1000); // "one" still has d: still two universes
        second.close(1000); // "two" empties and is forgotten, which frees a place
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> relay.join("three", "c", BIN) != null);
    }
}
