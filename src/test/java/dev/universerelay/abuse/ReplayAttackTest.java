package dev.universerelay.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.recording.Recorder;
import dev.universerelay.recording.RecordingObserver;
import dev.universerelay.recording.RecordingStore;
import dev.universerelay.recording.RecordingWriter;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Replays as an attack surface: a client that opens replays up to the cap and floods them with
 * seeks (each would cost a snapshot) is rate-limited and then closed for abuse, one replay more
 * is refused with 503, the slots come back when the attacker's sockets close, and a bystander
 * in a recorded universe plays on throughout.
 */
@MicronautTest
@Property(name = "relay.recordings.enabled", value = "true")
@Property(name = "relay.recordings.directory", value = "target/test-recordings/attack")
@Property(name = "relay.recordings.universes", value = "*")
@Property(name = "relay.recordings.max-replays", value = "4")
class ReplayAttackTest {
    static final long T0 = 1_763_830_000_000L;

    @Inject
    Relay relay;
    @Inject
    RecordingStore store;
    @Inject
    MeterRegistry meters;

    /** A raw viewer: counts errors, notes its close code. */
    static final class Flooder implements WebSocket.Listener {
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile int rateLimited;
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (data.toString().contains("rate_limited")) {
                rateLimited++;
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }

    Flooder open(String id, String token) {
        Flooder f = new Flooder();
        f.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(RelayTestClient.JSON)
                .buildAsync(URI.create("ws://127.0.0.1:" + relay.port() + "/ws/replays/" + id + "?access_token=" + token), f).join();
        return f;
    }

    @Test
    void a_seek_flood_across_the_replay_cap_is_refused_and_closed_while_a_bystander_plays_on() {
        String id = "attacked";
        RecordingWriter writer = new RecordingWriter();
        Recorder recorder = new Recorder(id, store.pathOf(id), "", 1000, 500, writer, RecordingObserver.NONE, Recorder.FileOpener.FILES);
        recorder.started("alpha", T0, List.of(new ServerMessage.PlayerInfo(1, "ada")),
                List.of(new ServerMessage.Appeared(3, 1, 1, 0, 0, 1, 1, T0, 0)));
        for (int i = 1; i <= 200; i++) {
            recorder.event(new ServerMessage.Velocity(3, i, 0, 1, 1, T0 + i * 50L), T0 + i * 50L);
        }
        recorder.stop(T0 + 10_000, "done");
        await().atMost(10, TimeUnit.SECONDS).until(recorder::isFinished);
        writer.close(1000);

        try (Bystander bystander = Bystander.join(relay.port(), "recorded-arena")) {
            String token = TestTokens.hs256(TestTokens.claims("attacker", Map.of()));
            List<Flooder> flooders = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                flooders.add(open(id, token));
            }
            assertThatThrownBy(() -> open(id, token)).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(503));
            double capped = meters.find("relay.refusals").tag("reason", RefusalReason.REPLAYS.label()).counter() == null ? 0
                    : meters.find("relay.refusals").tag("reason", RefusalReason.REPLAYS.label()).counter().count();
            assertThat(capped).isGreaterThanOrEqualTo(1);

            for (int round = 0; round < 250; round++) { // 60 within the burst, then beyond the 100 rejections of the abuse window
                for (Flooder f : flooders) {
                    if (!f.closed.isDone()) {
                        f.socket.sendText("{\"t\":\"replay\",\"seek\":" + (T0 + (round % 9) * 1000) + "}", true);
                    }
                }
                if (round % 50 == 0) {
                    bystander.assertStillPlaying();
                }
            }
            for (Flooder f : flooders) {
                assertThat(f.closed.orTimeout(20, TimeUnit.SECONDS).join()).isEqualTo(CloseCodes.POLICY_VIOLATION);
                assertThat(f.rateLimited).isPositive();
            }
            bystander.assertStillPlaying();
            await().atMost(Duration.ofSeconds(10)).until(() -> RelayTestClient.metric(relay.port(), "relay_replays") == 0);
            // the slots are back: a well-behaved viewer gets in
            Flooder polite = open(id, token);
            assertThat(polite.closed).isNotDone();
            polite.socket.sendClose(1000, "");
        }
    }
}
