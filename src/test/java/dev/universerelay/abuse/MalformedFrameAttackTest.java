package dev.universerelay.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Frames that break RFC 6455: reserved bits without a negotiated extension (permessage-deflate is
 * off by default) must fail the connection with 1002 (RFC 6455 5.2), not be processed; Netty's
 * decoder accepts them because Micronaut allows extensions, so the relay's reader checks. Each
 * close is counted as {@code bad-frame}.
 */
@MicronautTest
class MalformedFrameAttackTest {
    @Inject
    Relay relay;

    private int closeCodeAfter(String subject, byte[] frame) throws Exception {
        try (RawWebSocket attacker = relay.rawSocket("malformed", subject)) {
            attacker.send(frame);
            return attacker.readCloseCode();
        }
    }

    @Test
    void aDataFrameWithRsv1WithoutPermessageDeflateIsRefusedWith1002() throws Exception {
        double before = relay.refusals(RefusalReason.BAD_FRAME);
        try (Bystander bystander = relay.bystander("malformed")) {
            byte[] ping = "{\"t\":\"ping\",\"c\":1}".getBytes(StandardCharsets.UTF_8);
            assertThat(closeCodeAfter("rsv1", RawWebSocket.frame(true, RawWebSocket.RSV1, RawWebSocket.TEXT, ping))).isEqualTo(1002);
            assertThat(relay.refusals(RefusalReason.BAD_FRAME)).isEqualTo(before + 1);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void aControlFrameWithRsv2IsRefusedWith1002() throws Exception {
        try (Bystander bystander = relay.bystander("malformed")) {
            assertThat(closeCodeAfter("rsv2", RawWebSocket.frame(true, RawWebSocket.RSV2, RawWebSocket.PING, new byte[0]))).isEqualTo(1002);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void aReservedOpcodeIsRefusedWith1002ByNettyAndCountedAsABadFrame() throws Exception {
        double before = relay.refusals(RefusalReason.BAD_FRAME);
        assertThat(closeCodeAfter("opcode", RawWebSocket.frame(true, 0, 0x3, new byte[] {1}))).isEqualTo(1002);
        // Netty's decoder writes the close frame before the relay hears of the violation
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.refusals(RefusalReason.BAD_FRAME) == before + 1);
    }
}
