package dev.universerelay.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sockets that connect and send nothing, or half a request: beyond 32 pending connections from one
 * address they are closed at accept, the rest at the handshake deadline, so that they can neither
 * exhaust the node nor keep a player (of another address, or of the same once they are gone) out.
 * The deadline is 2 s here (10 s by default) to keep the test short.
 */
@MicronautTest
@Property(name = "relay.edge.handshake-timeout", value = "2s")
@Property(name = "relay.edge.http-idle-timeout", value = "2s")
class SilentSocketAttackTest {
    private static final int SOCKETS = 1_000;
    private static final int PENDING_CAP = 32; // the default of relay.edge.max-pending-per-address
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Duration MARGIN = Duration.ofSeconds(8);

    @Inject
    Relay relay;

    private List<RawHttp> openSilent(String from) {
        List<RawHttp> sockets = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            sockets.add(RawHttp.open(from, relay.port()));
        }
        return sockets;
    }

    /** Waits for every socket to be closed by the server; all of them must be within the deadline plus a margin. */
    private static void assertAllClosed(List<RawHttp> sockets) {
        long until = System.nanoTime() + DEADLINE.plus(MARGIN).toNanos();
        int open = 0;
        for (RawHttp socket : sockets) {
            Duration left = Duration.ofNanos(Math.max(1, until - System.nanoTime()));
            if (!socket.closedByServerWithin(left)) {
                open++;
            }
            socket.close();
        }
        assertThat(open).as("silent sockets still open %s after the attack", DEADLINE.plus(MARGIN)).isZero();
    }

    @Test
    void silentSocketsFromAnotherAddressAreClosedWhileAPlayerJoinsAndPlays() {
        try (Bystander before = relay.bystander("silent")) {
            double atAccept = RawHttp.refusals(relay.port(), "pending-connections");
            double atDeadline = RawHttp.refusals(relay.port(), "handshake-timeout");
            List<RawHttp> sockets = openSilent("127.0.0.2");
            // all but the pending cap are refused at accept, well before the deadline
            await().atMost(DEADLINE).until(() -> RawHttp.refusals(relay.port(), "pending-connections") - atAccept
                    >= SOCKETS - PENDING_CAP);
            // while those 32 are held, a player of another address joins and plays
            try (Bystander during = relay.bystander("silent")) {
                during.assertStillPlaying();
                before.assertStillPlaying();
                assertAllClosed(sockets);
                assertThat(RawHttp.refusals(relay.port(), "handshake-timeout") - atDeadline).isGreaterThanOrEqualTo(PENDING_CAP);
                // both stayed past the deadline: it is for connections that have not upgraded only
                during.assertStillPlaying();
            }
            before.assertStillPlaying();
        }
    }

    @Test
    void silentSocketsFromThePlayersOwnAddressDoNotKeepItOutOnceClosed() {
        try (Bystander before = relay.bystander("own")) {
            List<RawHttp> sockets = openSilent("127.0.0.1");
            before.assertStillPlaying();
            assertAllClosed(sockets);
            try (Bystander after = relay.bystander("own")) {
                after.assertStillPlaying();
            }
            before.assertStillPlaying();
        }
    }

    @Test
    void headersSentOneByteAtATimeAreClosedAtTheDeadline() {
        try (Bystander bystander = relay.bystander("trickle");
             RawHttp slow = RawHttp.open("127.0.0.2", relay.port())) {
            String request = RawHttp.upgrade(relay.port(), "/ws/universes/trickle", "X-Padding: " + "a".repeat(200));
            long start = System.nanoTime();
            int sent = 0;
            // one byte every 100 ms: an idle timeout that counts bytes would never fire (bounded: 200 bytes, 20 s)
            while (sent < 200 && slow.trySend(request.substring(sent, sent + 1))) {
                sent++;
                if (slow.closedByServerWithin(Duration.ofMillis(100))) {
                    break;
                }
            }
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(sent).as("bytes sent before the close").isLessThan(200);
            assertThat(tookMillis).isBetween(DEADLINE.toMillis() - 100, DEADLINE.plus(MARGIN).toMillis());
            bystander.assertStillPlaying();
        }
    }

    @Test
    void aKeepAliveHttpConnectionIsClosedAfterItsIdleTimeout() {
        try (Bystander bystander = relay.bystander("idle");
             RawHttp http = RawHttp.open("127.0.0.2", relay.port())) {
            double idle = RawHttp.refusals(relay.port(), "http-idle");
            assertThat(http.send(RawHttp.get(relay.port(), "/api/universes")).read().status()).isEqualTo(200);
            // keep-alive: the same connection answers a second request
            assertThat(http.send(RawHttp.get(relay.port(), "/api/universes")).read().status()).isEqualTo(200);
            long answered = System.nanoTime();
            assertThat(http.closedByServerWithin(DEADLINE.plus(MARGIN))).isTrue();
            assertThat((System.nanoTime() - answered) / 1_000_000).isGreaterThanOrEqualTo(DEADLINE.toMillis() - 100);
            await().atMost(Duration.ofSeconds(5)).until(() -> RawHttp.refusals(relay.port(), "http-idle") > idle);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void aSlowRequestAfterAnAnswerIsClosedAtTheIdleTimeout() {
        try (RawHttp http = RawHttp.open("127.0.0.2", relay.port())) {
            assertThat(http.send(RawHttp.get(relay.port(), "/api/universes")).read().status()).isEqualTo(200);
            http.send("GET /api/universes HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and never the blank line
            assertThat(http.closedByServerWithin(DEADLINE.plus(MARGIN))).isTrue();
        }
        assertThat(relay.get("/api/universes").statusCode()).isEqualTo(200);
    }
}
