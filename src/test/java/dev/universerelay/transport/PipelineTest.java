package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.event.WebSocketSessionOpenEvent;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What stays in a relay socket's pipeline after the upgrade: Netty's frame codec and the relay's
 * reader, not Micronaut's WebSocket handler (which would keep the upgrade request alive) nor its
 * idle-state timer; and the socket still works without them.
 */
@MicronautTest
@Property(name = "test.micronaut-sessions.watch", value = "true")
class PipelineTest {
    @Inject
    Relay relay;
    @Inject
    ConnectionIndex connections;
    @Inject
    MicronautSessions sessions;

    /**
     * Weak references to the sessions Micronaut opens: a session is reachable as long as Micronaut's
     * WebSocket handler is, and with it the upgrade request (its URI holds the token).
     */
    @Singleton
    @Requires(property = "test.micronaut-sessions.watch", value = "true")
    static final class MicronautSessions implements ApplicationEventListener<WebSocketSessionOpenEvent> {
        final Queue<WeakReference<WebSocketSession>> opened = new ConcurrentLinkedQueue<>();
        final Queue<String> urls = new ConcurrentLinkedQueue<>();

        @Override
        public void onApplicationEvent(WebSocketSessionOpenEvent event) {
            opened.add(new WeakReference<>(event.getSource()));
            urls.add(event.getSource().getRequestURI().toString());
        }

        long reachable() {
            return opened.stream().filter(ref -> ref.get() != null).count();
        }
    }

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

    /**
     * An idle connection must not keep what only the upgrade needed: Micronaut's WebSocket handler,
     * its session and the upgrade request with the token. Nothing of the relay's may hold them, and
     * Micronaut's HTTP handler, which it keeps per connection until the socket closes, must not lead
     * to them (see UpgradedSockets.HttpHandlerVacancy). The sockets stay open and keep playing.
     */
    @Test
    void anOpenSocketKeepsNothingOfMicronautsUpgrade() {
        List<RelayTestClient> players = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            players.add(relay.joinAs("slim", "slim-" + i, i % 2 == 0 ? BIN : JSON));
        }
        for (int i = 0; i < 4; i++) {
            Connection connection = connectionOf("slim-" + i);
            await().atMost(Duration.ofSeconds(10)).until(() -> !connection.channel.pipeline().names().contains("websocket-handler"));
        }
        assertThat(sessions.opened).hasSizeGreaterThanOrEqualTo(4);
        // the clients send their tokens as ?access_token=; the URL Micronaut keeps has none (QueryTokenHandover)
        assertThat(sessions.urls).anyMatch(url -> url.startsWith("/ws/universes/slim"))
                .noneMatch(url -> url.contains("access_token"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            System.gc();
            return sessions.reachable() == 0;
        });

        long id = players.get(0).spawn(1, 10, 10, 0, 0);
        players.get(0).send(new ClientMessage.Move(id, 11, 12, 1, 2));
        for (RelayTestClient other : players.subList(1, players.size())) {
            assertThat(RelayTestClient.decimal(other.awaitEvent("velocity", id), "x")).isEqualTo(11.0);
        }
        for (RelayTestClient p : players) {
            p.close(1000);
            assertThat(p.awaitClose()).isEqualTo(1000);
        }
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
