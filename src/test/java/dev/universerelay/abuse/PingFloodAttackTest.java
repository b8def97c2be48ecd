package dev.universerelay.abuse;

import static dev.universerelay.abuse.AttackSupport.usedHeap;
import static dev.universerelay.support.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.limits.LimitsConfiguration;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import dev.universerelay.transport.ConnectionProbe;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket pings as an attack: one connection that sends pings as fast as it can and never reads
 * used to make the server queue a pong per ping outside every limit, until it ran out of memory.
 * Pings now cost a token of the connection's message budget; beyond it they are not answered and
 * count as rejections, so a flood ends in 1008, and at most one pong waits for a client at a time,
 * written only while its socket takes it. Default limits.
 */
@MicronautTest
class PingFloodAttackTest {
    private static final Logger LOG = LoggerFactory.getLogger(PingFloodAttackTest.class);
    /** Pings sent at most by one flood (some 16 MB of frames). */
    private static final int MAX_PINGS = 120_000;

    @Inject
    Relay relay;
    @Inject
    LimitsConfiguration limits;

    @Test
    void aPingFloodFromAClientThatNeverReadsIsClosedWith1008AndWhatTheServerHoldsForItStaysBounded() throws Exception {
        double floods = relay.refusals(RefusalReason.PING_FLOOD);
        try (Bystander bystander = relay.bystander("ping-flood");
             RawWebSocket flood = relay.neverReadingSocket("ping-flood", "pinger")) {
            ConnectionProbe probe = relay.probe("pinger");
            long heapBefore = usedHeap();
            byte[] burst = RawWebSocket.repeat(RawWebSocket.frame(true, 0, RawWebSocket.PING, new byte[125]), 100);
            int sent = 0;
            long maxPending = 0;
            long maxNetty = 0;
            try {
                while (probe.closeCode() < 0 && sent < MAX_PINGS) {
                    flood.send(burst);
                    sent += 100;
                    maxPending = Math.max(maxPending, probe.pendingBytes());
                    maxNetty = Math.max(maxNetty, probe.nettyBytes());
                }
            } catch (IOException closedByTheServer) {
                // the server closed the socket while the flood was still writing
            }
            int code = probe.awaitCloseCode();
            LOG.info("ping flood: {} pings sent, closed with {}; held for it at most {} bytes queued, {} in Netty",
                    sent, code, maxPending, maxNetty);
            assertThat(code).isEqualTo(1008);
            assertThat(sent).as("closed long before the flood's end").isLessThan(MAX_PINGS);
            assertThat(maxPending).isLessThanOrEqualTo(limits.maxPendingBytes());
            assertThat(maxNetty).isLessThanOrEqualTo(probe.highWaterMark() + 4096L);
            assertThat(relay.refusals(RefusalReason.PING_FLOOD)).isEqualTo(floods + 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !probe.isOpen());
            assertThat(usedHeap() - heapBefore).as("heap growth").isLessThan(256L << 20);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void aClientThatReadsSeesItsPingFloodClosedWith1008() throws Exception {
        try (Bystander bystander = relay.bystander("ping-burst");
             RawWebSocket flood = relay.rawSocket("ping-burst", "burster")) {
            flood.send(RawWebSocket.repeat(RawWebSocket.frame(true, 0, RawWebSocket.PING, "x".getBytes(StandardCharsets.UTF_8)), 400));
            int[] pongs = {0};
            int code = flood.readUntilClose(payload -> pongs[0]++);
            assertThat(code).isEqualTo(1008);
            assertThat(pongs[0]).as("frames before the close: the welcome and at most a burst of pongs")
                    .isLessThanOrEqualTo(limits.burst() + 2);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void aPingWithinTheRateIsAnsweredWithItsPayload() throws Exception {
        try (RawWebSocket client = relay.rawSocket("ping-ok", "polite")) {
            client.sendFrame(RawWebSocket.PING, "are you there".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame frame = client.readFrame();
            while (frame.opcode() != RawWebSocket.PONG) {
                frame = client.readFrame(); // the welcome
            }
            assertThat(frame.text()).isEqualTo("are you there");
            client.sendClose(1000);
            assertThat(client.readCloseCode()).isEqualTo(1000);
        }
    }
}
