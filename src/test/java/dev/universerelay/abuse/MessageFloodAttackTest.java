package dev.universerelay.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Floods of bad messages, and whether the client learns why it was closed: the server writes its
 * Close frame, then keeps reading and discarding until the client's Close (or
 * {@code relay.websocket.close-timeout}) before it closes TCP. Closing with the client's frames
 * still unread made the kernel answer with a reset, which destroyed the close frame on its way
 * (the client saw 1006 instead of 1008 now and then).
 */
@MicronautTest
class MessageFloodAttackTest {
    private static final int ROUNDS = 100;

    @Inject
    Relay relay;

    @Test
    void aFloodOf150InvalidMessagesIsClosedWith1008AHundredTimesInARow() throws Exception {
        byte[] invalid = RawWebSocket.frame(true, 0, RawWebSocket.TEXT, "x".getBytes(StandardCharsets.UTF_8));
        double before = relay.refusals(RefusalReason.ABUSE_REJECTIONS);
        try (Bystander bystander = relay.bystander("flood-bystander")) {
            for (int round = 0; round < ROUNDS; round++) {
                // a universe per round: the players closed with 1008 wait out their resume grace
                try (RawWebSocket attacker = relay.rawSocket("flood-" + round, "flooder-" + round)) {
                    for (int i = 0; i < 150; i++) {
                        attacker.send(invalid); // one write each, as client libraries send: the last ones arrive after the close
                    }
                    assertThat(attacker.readCloseCode()).as("close code in round %d", round).isEqualTo(1008);
                    attacker.sendClose(1008);
                }
            }
            assertThat(relay.refusals(RefusalReason.ABUSE_REJECTIONS)).isEqualTo(before + ROUNDS);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void aClientThatKeepsSendingAfterAnOversizedMessageStillReads1009() throws Exception {
        try (Bystander bystander = relay.bystander("oversized");
             RawWebSocket attacker = relay.rawSocket("oversized", "oversizer")) {
            AtomicBoolean stop = new AtomicBoolean();
            byte[] filler = RawWebSocket.frame(true, 0, RawWebSocket.TEXT, "{\"t\":\"ping\",\"c\":1}".getBytes(StandardCharsets.UTF_8));
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    attacker.send(RawWebSocket.frame(true, 0, RawWebSocket.TEXT, new byte[2000]));
                    for (int i = 0; i < 2_000 && !stop.get(); i++) {
                        attacker.send(filler);
                    }
                } catch (IOException closed) {
                    // the server closed TCP after its close timeout
                }
            });
            try {
                assertThat(attacker.readCloseCode()).isEqualTo(1009);
            } finally {
                stop.set(true);
                sender.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            bystander.assertStillPlaying();
        }
    }

    @Test
    void afterItsCloseTheServerKeepsTheSocketOpenUntilTheClientAnswers() throws Exception {
        try (RawWebSocket attacker = relay.rawSocket("answered", "answerer")) {
            attacker.send(RawWebSocket.repeat(RawWebSocket.frame(true, 0, RawWebSocket.TEXT, "x".getBytes(StandardCharsets.UTF_8)), 150));
            assertThat(attacker.readCloseCode()).isEqualTo(1008);
            attacker.readTimeout(Duration.ofMillis(300));
            assertThat(attacker.isClosedByServer()).as("still open, waiting for the client's Close").isFalse();
            attacker.sendClose(1008);
            attacker.readTimeout(Duration.ofMillis(1500)); // under the 2 s close timeout: the answer ended it
            assertThat(attacker.isClosedByServer()).isTrue();
        }
    }
}
