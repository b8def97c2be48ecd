package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ProtocolConstants;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The input acknowledgement extension (docs/protocol.md section 14) over real sockets, on both
 * wires: a move with a {@code seq} is answered to its sender with an {@code ack} when applied and
 * with an {@code error} carrying the {@code seq} when refused; every such move gets exactly one
 * answer, in order; moves without one, spawns and the other players see nothing new.
 */
@MicronautTest
@Property(name = "relay.limits.rate", value = "1") // a burst of 20 and then one a second, so that the
@Property(name = "relay.limits.burst", value = "20") // last test's 90 moves are beyond it however slow the machine
class InputAckTest {
    @Inject
    Relay relay;

    /** Answers that carry a seq (acks, and errors of refused moves with one), in arrival order. */
    private static List<Map<String, Object>> answers(RelayTestClient client) {
        return client.received().stream().filter(m -> m.containsKey("seq")).toList();
    }

    @Test
    void anAppliedMoveWithASeqIsAcknowledgedToItsSenderOnBothWires() {
        RelayTestClient ada = relay.join("acks", "ada", BIN);
        RelayTestClient bob = relay.join("acks", "bob", JSON);
        long adas = ada.spawn(1, 0, 0, 0, 0);
        long bobs = bob.spawn(2, 5, 5, 0, 0);

        ada.send(new ClientMessage.Move(adas, 10, 20, 30, 40, 41));
        Map<String, Object> binaryAck = ada.awaitType("ack");
        assertThat(number(binaryAck, "id")).isEqualTo(adas);
        assertThat(number(binaryAck, "seq")).isEqualTo(41);
        Map<String, Object> velocity = bob.awaitMessage(m -> RelayTestClient.isEvent(m, "velocity", adas));
        long applied = number(velocity, "s");
        assertThat(Math.abs(number(binaryAck, "s") - ProtocolConstants.s32(applied)))
                .as("the ack's s32 is the time the move was applied").isLessThanOrEqualTo(1000);

        long before = System.currentTimeMillis();
        bob.send(new ClientMessage.Move(bobs, 1, 2, 3, 4, 0xFFFF_FFFFL));
        Map<String, Object> jsonAck = bob.awaitType("ack");
        long after = System.currentTimeMillis();
        assertThat(jsonAck).containsEntry("t", "ack");
        assertThat(number(jsonAck, "id")).isEqualTo(bobs);
        assertThat(number(jsonAck, "seq")).isEqualTo(0xFFFF_FFFFL);
        assertThat(number(jsonAck, "s")).isBetween(before, after);

        // each ack went to its sender alone
        ada.fence();
        bob.fence();
        assertThat(ada.receivedOfType("ack")).hasSize(1);
        assertThat(bob.receivedOfType("ack")).hasSize(1);
    }

    @Test
    void aRefusedMoveWithASeqGetsItsErrorWithTheSeqAndChangesNothing() {
        RelayTestClient ada = relay.join("refusals", "ada", BIN);
        RelayTestClient bob = relay.join("refusals", "bob", JSON);
        long adas = ada.spawn(1, 0, 0, 0, 0);
        long bobs = bob.spawn(2, 0, 0, 0, 0);
        ada.awaitMessage(m -> RelayTestClient.isEvent(m, "appeared", bobs));

        ada.send(new ClientMessage.Move(adas, 100_001, 0, 0, 0, 42));
        ada.send(new ClientMessage.Move(adas, 0, 0, 1500, 1500, 43));
        ada.send(new ClientMessage.Move(bobs, 1, 1, 0, 0, 44));
        ada.send(new ClientMessage.Move(999_999, 1, 1, 0, 0, 45));
        bob.sendText("{\"t\":\"move\",\"id\":" + bobs + ",\"x\":-200000,\"y\":0,\"vx\":0,\"vy\":0,\"seq\":9}");
        ada.fence();
        bob.fence();

        assertThat(ada.receivedOfType("error")).extracting(e -> e.get("code"), e -> number(e, "seq")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("out_of_bounds", 42L), org.assertj.core.groups.Tuple.tuple("too_fast", 43L),
                org.assertj.core.groups.Tuple.tuple("not_owner", 44L), org.assertj.core.groups.Tuple.tuple("unknown_entity", 45L));
        assertThat(bob.receivedOfType("error")).extracting(e -> e.get("code"), e -> number(e, "seq"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("out_of_bounds", 9L));
        assertThat(ada.receivedOfType("ack")).isEmpty();
        assertThat(bob.receivedOfType("velocity")).as("nothing refused reached the others").isEmpty();
        assertThat(ada.receivedOfType("velocity")).isEmpty();
    }

    @Test
    void movesWithoutASeqAndSpawnsAreAnsweredAsInV1() {
        RelayTestClient ada = relay.join("plain", "ada", BIN);
        RelayTestClient bob = relay.join("plain", "bob", JSON);
        long adas = ada.spawn(1, 0, 0, 0, 0);
        long bobs = bob.spawn(2, 0, 0, 0, 0);
        ada.send(new ClientMessage.Move(adas, 1, 1, 1, 1));
        bob.send(new ClientMessage.Move(bobs, 1, 1, 1, 1));
        bob.sendText("{\"t\":\"move\",\"id\":" + bobs + ",\"x\":2,\"y\":2,\"vx\":0,\"vy\":0,\"seq\":0}"); // 0: no ack wanted
        ada.send(new ClientMessage.Move(adas, 200_000, 0, 0, 0)); // refused, without a seq
        ada.fence();
        bob.fence();
        assertThat(answers(ada)).isEmpty();
        assertThat(answers(bob)).isEmpty();
        assertThat(ada.awaitError("out_of_bounds")).doesNotContainKey("seq");
        assertThat(ada.received()).extracting(m -> m.get("t")).doesNotContain("ack");
    }

    @Test
    void everyMoveWithASeqGetsExactlyOneAnswerInOrderEvenBeyondTheRateLimit() {
        RelayTestClient ada = relay.join("burst", "ada", BIN);
        long adas = ada.spawn(1, 0, 0, 0, 0);
        int moves = 90; // beyond the burst of 20: most are refused with rate_limited
        for (int frame = 0; frame < 3; frame++) {
            ByteBuffer bytes = ByteBuffer.allocate(30 * ProtocolConstants.MOVE_WITH_SEQ_SIZE);
            for (int i = 0; i < 30; i++) {
                long seq = frame * 30L + i + 1;
                bytes.put(dev.universerelay.protocol.BinaryCodec.encode(new ClientMessage.Move(adas, seq, 0, 0, 0, seq)));
            }
            ada.sendBinary(bytes.flip());
        }
        await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(10)).until(() -> answers(ada).size() >= moves);
        List<Map<String, Object>> answers = answers(ada);
        assertThat(answers).extracting(m -> number(m, "seq")).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, moves).boxed().toList());
        assertThat(answers).extracting(m -> m.get("t")).containsOnly("ack", "error");
        assertThat(answers.stream().filter(m -> "error".equals(m.get("t")))).isNotEmpty()
                .allSatisfy(m -> assertThat(m).containsEntry("code", "rate_limited"));
        assertThat(answers.stream().filter(m -> "ack".equals(m.get("t")))).isNotEmpty();
        assertThat(ada.isClosed()).isFalse();
    }
}
