package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits are configuration, announced in welcome and enforced as announced. */
@MicronautTest
@Property(name = "relay.limits.max-entities", value = "3")
@Property(name = "relay.limits.max-speed", value = "50")
class EntityLimitTest {
    @Inject
    Relay relay;

    @Test
    void theConfiguredEntityLimitIsAnnouncedAndEnforced() {
        RelayTestClient ada = relay.join("limits", "ada", BIN);
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = (Map<String, Object>) ada.receivedOfType("welcome").get(0).get("limits");
        assertThat(number(limits, "maxEntities")).isEqualTo(3);
        assertThat(number(limits, "maxSpeed")).isEqualTo(50);

        ada.send(new ClientMessage.Spawn(1, 1, 0, 0, 30, 40), new ClientMessage.Spawn(2, 1, 0, 0, 0, 0),
                new ClientMessage.Spawn(3, 1, 0, 0, 0, 0), new ClientMessage.Spawn(4, 1, 0, 0, 0, 0));
        assertThat(number(ada.awaitError("too_many_entities"), "ref")).isEqualTo(4);
        assertThat(ada.receivedOfType("appeared")).extracting(m -> number(m, "ref")).containsExactly(1L, 2L, 3L);

        long first = number(ada.receivedOfType("appeared").get(0), "id");
        ada.send(new ClientMessage.Destroy(first), new ClientMessage.Spawn(5, 1, 0, 0, 30, 41));
        assertThat(number(ada.awaitError("too_fast"), "ref")).isEqualTo(5);
    }
}
