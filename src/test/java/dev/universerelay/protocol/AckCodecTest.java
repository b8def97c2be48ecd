package dev.universerelay.protocol;

import static dev.universerelay.protocol.ProtocolVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The input acknowledgement extension on both wires (docs/protocol.md section 14), against
 * vectors written out by hand from the layout: a move with a seq is 0x16 u32 id, f32 x, f32 y,
 * f32 vx, f32 vy, u32 seq; {@code ack} is 0x05 u32 id, u32 seq, u32 s32; little-endian. A move
 * without a seq keeps its v1 bytes.
 */
class AckCodecTest {
    /** move id=7, x=1.5 (0x3fc00000), y=-2 (0xc0000000), vx=0, vy=10 (0x41200000), seq=0x01020304. */
    private static final String MOVE_V1_HEX = "12" + "07000000" + "0000c03f" + "000000c0" + "00000000" + "00002041";
    private static final String MOVE_WITH_SEQ_HEX = "16" + MOVE_V1_HEX.substring(2) + "04030201";
    private static final ClientMessage.Move MOVE_WITH_SEQ = new ClientMessage.Move(7, 1.5f, -2f, 0f, 10f, 0x01020304L);

    @Test
    void aMoveWithASeqDecodesFromItsOwnTypeByte() {
        DecodedFrame frame = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(HexFormat.of().parseHex(MOVE_WITH_SEQ_HEX)));
        assertThat(frame.isUndecodable()).as(frame.failure()).isFalse();
        assertThat(frame.items()).containsExactly(MOVE_WITH_SEQ);
        assertThat(MOVE_WITH_SEQ.wantsAck()).isTrue();
    }

    @Test
    void aMoveEncodesWithItsSeqAndAMoveWithoutOneKeepsItsV1Bytes() {
        byte[] withSeq = BinaryCodec.encode(MOVE_WITH_SEQ);
        assertThat(hex(withSeq)).isEqualTo(MOVE_WITH_SEQ_HEX);
        assertThat(withSeq).hasSize(ProtocolConstants.MOVE_WITH_SEQ_SIZE).hasSize(25);
        ClientMessage.Move v1 = new ClientMessage.Move(7, 1.5f, -2f, 0f, 10f);
        assertThat(hex(BinaryCodec.encode(v1))).isEqualTo(MOVE_V1_HEX);
        assertThat(v1.wantsAck()).isFalse();
        assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(HexFormat.of().parseHex(MOVE_V1_HEX))).items()).containsExactly(v1);
    }

    @Test
    void aMoveWithASeqTravelsInABatchAndACutOneMakesTheFrameUndecodable() {
        byte[] move = HexFormat.of().parseHex(MOVE_WITH_SEQ_HEX);
        byte[] destroy = BinaryCodec.encode(new ClientMessage.Destroy(9));
        ByteBuffer frame = ByteBuffer.allocate(move.length + destroy.length).put(move).put(destroy).flip();
        assertThat(BinaryCodec.decodeClientFrame(frame).items()).containsExactly(MOVE_WITH_SEQ, new ClientMessage.Destroy(9));
        for (int length = 1; length < move.length; length++) {
            assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(Arrays.copyOf(move, length))).isUndecodable())
                    .as("move with seq cut to %d bytes", length).isTrue();
        }
    }

    @Test
    void aJsonMoveTakesAnOptionalSeq() {
        assertThat(JsonCodec.decodeClientFrame("{\"t\":\"move\",\"id\":7,\"x\":1.5,\"y\":-2,\"vx\":0,\"vy\":10,\"seq\":16909060}").items())
                .containsExactly(MOVE_WITH_SEQ);
        assertThat(JsonCodec.decodeClientFrame("{\"t\":\"move\",\"id\":7,\"x\":1.5,\"y\":-2,\"vx\":0,\"vy\":10}").items())
                .containsExactly(new ClientMessage.Move(7, 1.5f, -2f, 0f, 10f));
        for (String seq : List.of("-1", "4294967296", "1.5", "\"3\"", "null")) {
            String text = "{\"t\":\"move\",\"id\":7,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0,\"seq\":" + seq + "}";
            assertThat(JsonCodec.decodeClientFrame(text).items()).as(text).singleElement().isInstanceOf(InboundItem.Malformed.class);
        }
    }

    @Test
    void ackEncodesToItsBinaryLayoutWithServerTimeModulo2To32() {
        long serverTime = 0x1_2345_6789L;
        assertThat(hex(BinaryCodec.encode(new ServerMessage.Ack(12, 0xFFFF_FFFFL, serverTime))))
                .isEqualTo("05" + "0c000000" + "ffffffff" + "89674523");
        assertThat(BinaryCodec.encode(new ServerMessage.Ack(1, 1, 1))).hasSize(ProtocolConstants.ACK_SIZE).hasSize(13);
        assertThat(BinaryCodec.decodeServerFrame(ByteBuffer.wrap(BinaryCodec.encode(new ServerMessage.Ack(12, 3, serverTime)))))
                .containsExactly(new ServerMessage.Ack(12, 3, ProtocolConstants.s32(serverTime)));
    }

    @Test
    void ackAndTheSeqOfARefusedMoveOnTheJsonWire() {
        assertThat(new String(JsonCodec.encode(new ServerMessage.Ack(12, 5, 1763830000000L)), StandardCharsets.UTF_8))
                .isEqualTo("{\"t\":\"ack\",\"id\":12,\"seq\":5,\"s\":1763830000000}");
        assertThat(new String(JsonCodec.encodeControl(new ServerMessage.Error(ErrorCode.OUT_OF_BOUNDS, "too far", null, 5L)),
                StandardCharsets.UTF_8)).isEqualTo("{\"t\":\"error\",\"code\":\"out_of_bounds\",\"msg\":\"too far\",\"seq\":5}");
        assertThat(new String(JsonCodec.encodeControl(new ServerMessage.Error(ErrorCode.OUT_OF_BOUNDS, "too far", 3L)),
                StandardCharsets.UTF_8)).isEqualTo("{\"t\":\"error\",\"code\":\"out_of_bounds\",\"msg\":\"too far\",\"ref\":3}");
    }
}
