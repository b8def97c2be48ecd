package dev.universerelay.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Fragmented messages as an attack: a message whose last fragment never comes, or that goes on
 * in empty continuation frames, used to hold its buffer (and reset the idle timer) for ever. A
 * message now has a deadline from its first fragment ({@code relay.websocket.fragment-timeout},
 * 500 ms here instead of 5 s) and a number of fragments ({@code relay.websocket.max-fragments},
 * default 32, empty ones included); past either, 1008.
 */
@MicronautTest
@Property(name = "relay.websocket.fragment-timeout", value = "500ms")
class FragmentAttackTest {
    @Inject
    Relay relay;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMessageGoingOnInEmptyContinuationsIsClosedWith1008() throws Exception {
        double before = relay.refusals(RefusalReason.TOO_MANY_FRAGMENTS);
        try (Bystander bystander = relay.bystander("fragments");
             RawWebSocket attacker = relay.rawSocket("fragments", "fragmenter")) {
            attacker.send(RawWebSocket.frame(false, 0, RawWebSocket.TEXT, utf8("{\"t\":\"ping\",")));
            attacker.send(RawWebSocket.repeat(RawWebSocket.frame(false, 0, RawWebSocket.CONTINUATION, new byte[0]), 40));
            assertThat(attacker.readCloseCode()).isEqualTo(1008);
            assertThat(relay.refusals(RefusalReason.TOO_MANY_FRAGMENTS)).isEqualTo(before + 1);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void aMessageWhoseLastFragmentNeverComesIsClosedWith1008AfterTheDeadline() throws Exception {
        double before = relay.refusals(RefusalReason.FRAGMENT_TIMEOUT);
        try (Bystander bystander = relay.bystander("unfinished");
             RawWebSocket attacker = relay.rawSocket("unfinished", "staller")) {
            long start = System.nanoTime();
            attacker.send(RawWebSocket.frame(false, 0, RawWebSocket.TEXT, utf8("{\"t\":\"ping\",")));
            // pings within the rate keep the connection alive, but not the unfinished message
            attacker.sendFrame(RawWebSocket.PING, new byte[0]);
            assertThat(attacker.readCloseCode()).isEqualTo(1008);
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms to the close").isGreaterThanOrEqualTo(450);
            assertThat(relay.refusals(RefusalReason.FRAGMENT_TIMEOUT)).isEqualTo(before + 1);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void aMessageInAFewFragmentsWithinTheLimitsIsApplied() throws Exception {
        try (RawWebSocket client = relay.rawSocket("fragments-ok", "patient")) {
            client.send(RawWebSocket.frame(false, 0, RawWebSocket.TEXT, utf8("{\"t\":\"pi")));
            client.send(RawWebSocket.frame(false, 0, RawWebSocket.CONTINUATION, new byte[0]));
            client.send(RawWebSocket.frame(false, 0, RawWebSocket.CONTINUATION, utf8("ng\",\"c\"")));
            client.send(RawWebSocket.frame(true, 0, RawWebSocket.CONTINUATION, utf8(":77}")));
            RawWebSocket.Frame frame = client.readFrame();
            while (!frame.text().contains("\"pong\"")) {
                frame = client.readFrame();
            }
            assertThat(frame.text()).contains("\"c\":77");
            client.sendClose(1000);
            assertThat(client.readCloseCode()).isEqualTo(1000);
        }
    }
}
