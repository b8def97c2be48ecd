package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who receives which delta event (protocol section 5), over both wires. */
@MicronautTest
class RoutingTest {
    @Inject
    Relay relay;

    @Test
    void appearedGoesToEveryoneVelocityAndDestroyedToEveryoneButTheSender() {
        RelayTestClient ada = relay.join("routing", "ada", BIN);
        RelayTestClient bob = relay.join("routing", "bob", JSON);

        long id = ada.spawn(7, 10.5f, -4f, 0f, 30f);
        Map<String, Object> seenByBob = bob.awaitType("appeared");
        assertThat(number(seenByBob, "id")).isEqualTo(id);
        assertThat(number(seenByBob, "o")).isEqualTo(number(ada.receivedOfType("welcome").get(0), "you"));
        assertThat(number(seenByBob, "ref")).isEqualTo(7);
        assertThat(RelayTestClient.decimal(seenByBob, "x")).isEqualTo(10.5);

        ada.send(new ClientMessage.Move(id, 1.5f, 2.25f, -3f, 4f));
        Map<String, Object> velocity = bob.awaitType("velocity");
        assertThat(RelayTestClient.decimal(velocity, "vx")).isEqualTo(-3.0);

        ada.send(new ClientMessage.Destroy(id));
        bob.awaitType("destroyed");
        // The sender's own events come back only as appeared; a ping after them proves ordering.
        ada.fence();
        assertThat(ada.receivedOfType("velocity")).isEmpty();
        assertThat(ada.receivedOfType("destroyed")).isEmpty();
    }

    @Test
    void eventsNeverCrossUniverses() {
        RelayTestClient ada = relay.join("iso-a", "ada", BIN);
        RelayTestClient eve = relay.join("iso-b", "eve", BIN);
        RelayTestClient bob = relay.join("iso-a", "bob", BIN);
        long id = ada.spawn(1, 0, 0, 0, 0);
        bob.awaitEvent("appeared", id);
        eve.fence();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> eve.received().stream().noneMatch(m -> "appeared".equals(m.get("t")) || "joined".equals(m.get("t"))));
    }
}
