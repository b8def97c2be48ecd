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
 * The interest management extension on both wires (docs/protocol.md section 13), against vectors
 * written out by hand from the layout: {@code view} 0x15 f32 x, f32 y, f32 r; {@code hidden}
 * 0x04 u32 id; little-endian.
 */
class InterestCodecTest {
    /** view x=1.5 (0x3fc00000), y=-2 (0xc0000000), r=500 (0x43fa0000). */
    private static final String VIEW_HEX = "15" + "0000c03f" + "000000c0" + "0000fa43";
    private static final ClientMessage.View VIEW = new ClientMessage.View(1.5f, -2f, 500f);

    @Test
    void viewDecodesFromItsBinaryLayout() {
        DecodedFrame frame = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(HexFormat.of().parseHex(VIEW_HEX)));
        assertThat(frame.isUndecodable()).as(frame.failure()).isFalse();
        assertThat(frame.items()).containsExactly(VIEW);
    }

    @Test
    void viewEncodesToItsBinaryLayout() {
        byte[] encoded = BinaryCodec.encode(VIEW);
        assertThat(hex(encoded)).isEqualTo(VIEW_HEX);
        assertThat(encoded).hasSize(ProtocolConstants.VIEW_SIZE).hasSize(13);
    }

    @Test
    void viewTravelsInABatchWithOtherMessages() {
        byte[] destroy = BinaryCodec.encode(new ClientMessage.Destroy(7));
        ByteBuffer frame = ByteBuffer.allocate(destroy.length + 13).put(destroy).put(HexFormat.of().parseHex(VIEW_HEX)).flip();
        assertThat(BinaryCodec.decodeClientFrame(frame).items()).containsExactly(new ClientMessage.Destroy(7), VIEW);
    }

    @Test
    void aViewOfTheWrongLengthMakesTheFrameUndecodable() {
        byte[] exact = HexFormat.of().parseHex(VIEW_HEX);
        for (int length = 1; length < exact.length; length++) {
            assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(Arrays.copyOf(exact, length))).isUndecodable())
                    .as("view cut to %d bytes", length).isTrue();
        }
        assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(Arrays.copyOf(exact, 14))).isUndecodable()).isTrue();
    }

    @Test
    void nonFiniteViewValuesStillDecodeSoThatTheUniverseCanRefuseThemWithAnError() {
        byte[] nan = HexFormat.of().parseHex("15" + "0000c07f" + "00000000" + "0000807f"); // x NaN, r +Infinity
        ClientMessage.View view = (ClientMessage.View) BinaryCodec.decodeClientFrame(ByteBuffer.wrap(nan)).items().get(0);
        assertThat(view.x()).isNaN();
        assertThat(view.r()).isInfinite();
    }

    @Test
    void viewDecodesFromJson() {
        assertThat(JsonCodec.decodeClientFrame("{\"t\":\"view\",\"x\":1.5,\"y\":-2,\"r\":500}").items()).containsExactly(VIEW);
        assertThat(JsonCodec.decodeClientFrame("[{\"t\":\"view\",\"x\":0,\"y\":0,\"r\":1},{\"t\":\"ping\",\"c\":1}]").items())
                .containsExactly(new ClientMessage.View(0f, 0f, 1f), new ClientMessage.Ping(1));
    }

    @Test
    void aJsonViewWithMissingOrMistypedFieldsIsMalformed() {
        for (String text : List.of("{\"t\":\"view\",\"x\":0,\"y\":0}", "{\"t\":\"view\",\"x\":0,\"y\":0,\"r\":\"5\"}",
                "{\"t\":\"view\",\"x\":null,\"y\":0,\"r\":5}", "{\"t\":\"view\",\"x\":0,\"y\":[0],\"r\":5}")) {
            assertThat(JsonCodec.decodeClientFrame(text).items()).as(text).singleElement().isInstanceOf(InboundItem.Malformed.class);
        }
    }

    @Test
    void hiddenEncodesToItsBinaryLayout() {
        assertThat(hex(BinaryCodec.encode(new ServerMessage.Hidden(12)))).isEqualTo("040c000000");
        assertThat(hex(BinaryCodec.encode(new ServerMessage.Hidden(0xFFFF_FFFFL)))).isEqualTo("04ffffffff");
        assertThat(ProtocolConstants.serverEventSize(ProtocolConstants.HIDDEN)).isEqualTo(5);
    }

    @Test
    void hiddenDecodesFromABatchedServerFrame() {
        ByteBuffer frame = ByteBuffer.wrap(HexFormat.of().parseHex("040c000000" + "030c000000fbe975ac" + "04ffffffff"));
        assertThat(BinaryCodec.decodeServerFrame(frame)).containsExactly(new ServerMessage.Hidden(12),
                new ServerMessage.Destroyed(12, 0xac75e9fbL), new ServerMessage.Hidden(0xFFFF_FFFFL));
    }

    @Test
    void hiddenEncodesAsJsonWithItsIdOnly() {
        assertThat(new String(JsonCodec.encode(new ServerMessage.Hidden(12)), StandardCharsets.UTF_8))
                .isEqualTo("{\"t\":\"hidden\",\"id\":12}");
        assertThat(new String(JsonCodec.encodeControl(new ServerMessage.Hidden(4294967295L)), StandardCharsets.UTF_8))
                .isEqualTo("{\"t\":\"hidden\",\"id\":4294967295}");
    }
}
