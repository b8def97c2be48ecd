package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several messages per frame in both directions, and per-entity order under load. */
@MicronautTest
@Property(name = "relay.limits.rate", value = "1000")
@Property(name = "relay.limits.burst", value = "1000")
class BatchingTest {
    @Inject
    Relay relay;

    @Test
    void twoHundredMovesArriveInOrderOnBothWires() {
        RelayTestClient ada = relay.join("order", "ada", BIN);
        RelayTestClient bin = relay.join("order", "bin", BIN);
        RelayTestClient json = relay.join("order", "json", JSON);
        long id = ada.spawn(1, 0, 0, 0, 0);
        for (int i = 1; i <= 200; i++) {
            ada.send(new ClientMessage.Move(id, i, -i, 0, 0));
        }
        for (RelayTestClient receiver : List.of(bin, json)) {
            receiver.awaitMessage(m -> "velocity".equals(m.get("t")) && RelayTestClient.decimal(m, "x") == 200);
            assertThat(receiver.receivedOfType("velocity")).extracting(m -> (int) RelayTestClient.decimal(m, "x"))
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 200).boxed().toList());
        }
        // 200 events reached the receivers in fewer frames than events: the outbox batches.
        assertThat(bin.frameSizes().size()).isLessThan(bin.received().size());
    }

    @Test
    void aBinaryFrameOfSeveralActionsIsAppliedInOrder() {
        RelayTestClient ada = relay.join("client-batch", "ada", BIN);
        RelayTestClient bob = relay.join("client-batch", "bob", JSON);
        ada.send(new ClientMessage.Spawn(1, 1, 0, 0, 0, 0), new ClientMessage.Spawn(2, 1, 5, 5, 0, 0),
                new ClientMessage.Ping(7));
        ada.awaitType("pong");
        List<Map<String, Object>> appeared = ada.receivedOfType("appeared");
        assertThat(appeared).extracting(m -> number(m, "ref")).containsExactly(1L, 2L);
        long first = number(appeared.get(0), "id");
        long second = number(appeared.get(1), "id");
        ada.send(new ClientMessage.Move(first, 9, 9, 1, 0), new ClientMessage.Destroy(second));
        bob.awaitType("destroyed");
        assertThat(bob.received().stream().map(m -> m.get("t")).filter(t -> !"welcome".equals(t)).toList())
                .containsExactly("appeared", "appeared", "velocity", "destroyed");
    }

    @Test
    void aJsonArrayOfActionsIsAppliedInOrderAndEachRejectionIsReported() {
        RelayTestClient ada = relay.join("json-batch", "ada", JSON);
        ada.sendText("[{\"t\":\"spawn\",\"ref\":1,\"k\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0},"
                + "{\"t\":\"destroy\",\"id\":123456},"
                + "{\"t\":\"spawn\",\"ref\":2,\"k\":1,\"x\":1,\"y\":1,\"vx\":0,\"vy\":0},"
                + "{\"t\":\"ping\",\"c\":3}]");
        ada.awaitType("pong");
        assertThat(ada.received().stream().map(m -> m.get("t")).filter(t -> !"welcome".equals(t)).toList())
                .containsExactly("appeared", "error", "appeared", "pong");
        assertThat(ada.receivedOfType("error").get(0).get("code")).isEqualTo("unknown_entity");
    }
}
