package dev.universerelay.abuse;

import static dev.universerelay.abuse.AttackSupport.usedHeap;
import static dev.universerelay.support.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate switched on ({@code relay.websocket.permessage-deflate: true}): a small
 * compressed frame that inflates to megabytes (a zip bomb) is closed with 1009 once its inflated
 * size passes the inflater's bound, without the server inflating it whole; the frame limit applies
 * after inflation; a compressed message within it is applied; reserved bits other than RSV1 are
 * still refused with 1002.
 */
@MicronautTest
@Property(name = "relay.websocket.permessage-deflate", value = "true")
class DeflateBombAttackTest {
    private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate";

    @Inject
    Relay relay;

    /** A raw deflate block of {@code text} without its sync-flush tail (RFC 7692 7.2.1). */
    private static byte[] deflate(byte[] text) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(text);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(chunk, 0, n);
        }
        deflater.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
    }

    /** Inflates one server message with the connection's inflater (the server keeps its context across messages). */
    private static String inflate(Inflater inflater, byte[] payload) throws Exception {
        byte[] input = Arrays.copyOf(payload, payload.length + 4);
        input[payload.length + 2] = (byte) 0xff;
        input[payload.length + 3] = (byte) 0xff;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private RawWebSocket open(String subject) throws Exception {
        RawWebSocket client = RawWebSocket.open(relay.port(), "deflate", token(subject), OFFER);
        assertThat(client.responseHeaders()).anyMatch(h -> h.toLowerCase().contains("permessage-deflate"));
        return client;
    }

    @Test
    void aFrameThatInflatesToMegabytesIsClosedWith1009() throws Exception {
        double before = relay.refusals(RefusalReason.FRAME_TOO_BIG);
        byte[] bomb = deflate(("{\"t\":\"ping\",\"c\":1,\"pad\":\"" + " ".repeat(50 << 20) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length).as("the bomb fits in one frame").isLessThan(65536);
        try (Bystander bystander = relay.bystander("deflate"); RawWebSocket attacker = open("bomber")) {
            long heapBefore = usedHeap();
            attacker.send(RawWebSocket.frame(true, RawWebSocket.RSV1, RawWebSocket.TEXT, bomb));
            RawWebSocket.Frame close = attacker.readFrame();
            while (close.opcode() != RawWebSocket.CLOSE) {
                close = attacker.readFrame();
            }
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(close.text()).as("stopped by the inflater's bound, not after inflating it whole").contains("once inflated");
            assertThat(relay.refusals(RefusalReason.FRAME_TOO_BIG)).isEqualTo(before + 1);
            assertThat(usedHeap() - heapBefore).as("heap growth").isLessThan(40L << 20);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void theFrameLimitAppliesAfterInflation() throws Exception {
        byte[] big = deflate(("{\"t\":\"ping\",\"c\":1,\"pad\":\"" + "x".repeat(3000) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(big.length).as("compressed under max-frame-bytes").isLessThan(1024);
        try (RawWebSocket client = open("inflated")) {
            client.send(RawWebSocket.frame(true, RawWebSocket.RSV1, RawWebSocket.TEXT, big));
            assertThat(client.readCloseCode()).isEqualTo(1009);
        }
    }

    @Test
    void aCompressedMessageWithinTheLimitIsApplied() throws Exception {
        try (RawWebSocket client = open("squeezed")) {
            client.send(RawWebSocket.frame(true, RawWebSocket.RSV1, RawWebSocket.TEXT,
                    deflate("{\"t\":\"ping\",\"c\":42}".getBytes(StandardCharsets.UTF_8))));
            Inflater inflater = new Inflater(true);
            String text = "";
            while (!text.contains("\"pong\"")) {
                RawWebSocket.Frame frame = client.readFrame();
                text = (frame.rsv() & RawWebSocket.RSV1) != 0 ? inflate(inflater, frame.payload()) : frame.text();
            }
            inflater.end();
            assertThat(text).contains("\"c\":42");
        }
    }

    @Test
    void rsv2IsRefusedWith1002EvenWithDeflateNegotiated() throws Exception {
        try (RawWebSocket client = open("rsv2-deflate")) {
            client.send(RawWebSocket.frame(true, RawWebSocket.RSV2, RawWebSocket.TEXT, "{}".getBytes(StandardCharsets.UTF_8)));
            assertThat(client.readCloseCode()).isEqualTo(1002);
        }
    }
}
