package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A newcomer to a large universe gets its whole {@code welcome} even when that snapshot is larger
 * than the per-connection cap on queued bytes: the cap is for slow readers, and the snapshot's size
 * comes from the universe, not from the reader. Events after it still count.
 */
@MicronautTest
@Property(name = "relay.limits.max-pending-bytes", value = "8192")
@Property(name = "relay.limits.max-entities", value = "200")
@Property(name = "relay.limits.rate", value = "1000")
@Property(name = "relay.limits.burst", value = "1000")
class LargeWelcomeTest {
    @Inject
    Relay relay;

    @Test
    void aWelcomeLargerThanTheQueueCapIsDeliveredAndPlayGoesOn() {
        RelayTestClient builder = relay.join("crowded", "builder", BIN);
        for (int batch = 0; batch < 10; batch++) {
            ClientMessage[] spawns = new ClientMessage[15];
            for (int i = 0; i < spawns.length; i++) {
                spawns[i] = new ClientMessage.Spawn(batch * 100 + i + 1, 1, i, batch, 0, 0);
            }
            builder.send(spawns);
            int expected = (batch + 1) * spawns.length; // its own appeared events stay far below the cap
            await().atMost(Duration.ofSeconds(10)).until(() -> builder.receivedOfType("appeared").size() == expected);
        }

        RelayTestClient newcomer = relay.join("crowded", "newcomer", BIN);
        List<Map<String, Object>> entities = newcomer.welcomeEntities();
        assertThat(entities).hasSize(150); // about 13 KB of JSON, over the 8 KB cap
        long ship = builder.spawn(9999, 5, 5, 0, 0);
        newcomer.awaitEvent("appeared", ship);
        assertThat(newcomer.isClosed()).isFalse();
    }
}
