package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What stays in a relay socket's pipeline after the upgrade: Netty's frame codec and the relay's
 * reader, not Micronaut's WebSocket handler (which would keep the upgrade request alive) nor its
 * idle-state timer; and the socket still works without them.
 */
@MicronautTest
class PipelineTest {
    @Inject
    Relay relay;
    @Inject
    ConnectionIndex connections;

    private Connection connectionOf(String subject) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> StreamSupport.stream(connections.all().spliterator(), false)
                .filter(c -> c.player != null && subject.equals(c.player.identity().subject())).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    @Test
    void afterTheUpgradeOnlyTheFrameCodecAndTheRelayReaderRemain() {
        RelayTestClient ada = relay.joinAs("pipeline", "ada", BIN);
        Connection connection = connectionOf("ada");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(connection.channel.pipeline().names())
                .contains(WebSocketFrameReader.NAME)
                .doesNotContain("websocket-handler", "idle-state", UniverseAffinity.NAME));

        ada.send(new ClientMessage.Ping(5));
        assertThat(RelayTestClient.decimal(ada.awaitType("pong"), "c")).isEqualTo(5);
        ada.close(1000);
        assertThat(ada.awaitClose()).isEqualTo(1000);
    }

    @Test
    void aProtocolViolationIsAnsweredWith1002AndEndsTheConnection() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(relay.port(), "pipeline", TestTokens.token("rude"))) {
            Connection connection = connectionOf("rude");
            raw.sendFrame(0x3, new byte[] {1, 2, 3}); // a reserved opcode
            assertThat(raw.readCloseCode()).isEqualTo(1002);
            await().atMost(Duration.ofSeconds(10)).until(() -> !connection.channel.isActive());
            await().atMost(Duration.ofSeconds(10)).until(() -> StreamSupport.stream(connections.all().spliterator(), false)
                    .noneMatch(c -> c == connection));
        }
    }
}
