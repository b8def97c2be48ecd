package dev.universerelay.protocol;

import static dev.universerelay.protocol.ProtocolVectors.buffer;
import static dev.universerelay.protocol.ProtocolVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The {@code relay.v1.bin} wire against the shared contract vectors (protocol sections 3 to 6). */
class BinaryCodecTest {

    // ------------------------------------------------------------------ shared vectors

    @Test
    void vectorFileHasEveryKindOfVector() {
        assertThat(ProtocolVectors.valid("client")).extracting(v -> (Object) String.valueOf(((Map<?, ?>) v.get("json")).get("t")))
                .contains((Object) "spawn", "move", "destroy", "ping");
        assertThat(ProtocolVectors.valid("server")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(ProtocolVectors.invalidClientFrames()).isNotEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyClientVectorDecodesFromItsHex() {
        return ProtocolVectors.valid("client").stream().map(vector -> dynamicTest(name(vector), () -> {
            @SuppressWarnings("unchecked")
            ClientMessage expected = ProtocolVectors.clientMessage((Map<String, Object>) vector.get("json"));
            DecodedFrame frame = BinaryCodec.decodeClientFrame(buffer(vector));
            assertThat(frame.isUndecodable()).as(frame.failure()).isFalse();
            assertThat(frame.items()).containsExactly(expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyClientVectorEncodesToItsExactHex() {
        return ProtocolVectors.valid("client").stream().map(vector -> dynamicTest(name(vector), () -> {
            @SuppressWarnings("unchecked")
            ClientMessage message = ProtocolVectors.clientMessage((Map<String, Object>) vector.get("json"));
            byte[] encoded = BinaryCodec.encode(message);
            assertThat(hex(encoded)).isEqualTo(vector.get("hex"));
            assertThat(encoded).hasSize(ProtocolConstants.clientMessageSize(encoded[0]));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everySingleServerVectorEncodesToItsExactHex() {
        long serverTime = ProtocolVectors.serverTimeExample();
        return ProtocolVectors.valid("server").stream().filter(v -> v.get("json") instanceof Map)
                .map(vector -> dynamicTest(name(vector), () -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> json = (Map<String, Object>) vector.get("json");
                    assertThat(ProtocolVectors.integer(json, "s")).isEqualTo(serverTime);
                    ServerMessage.DeltaEvent event = ProtocolVectors.serverEvent(json);
                    byte[] encoded = BinaryCodec.encode(event);
                    assertThat(hex(encoded)).isEqualTo(vector.get("hex"));
                    assertThat(encoded).hasSize(ProtocolConstants.serverEventSize(encoded[0]));
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyServerVectorDecodesWithServerTimeModulo2To32() {
        return ProtocolVectors.valid("server").stream().map(vector -> dynamicTest(name(vector), () -> {
            List<ServerMessage.DeltaEvent> expected = new ArrayList<>();
            for (Map<String, Object> json : ProtocolVectors.jsonObjects(vector)) {
                expected.add(withS32(ProtocolVectors.serverEvent(json)));
            }
            assertThat(BinaryCodec.decodeServerFrame(buffer(vector))).containsExactlyElementsOf(expected);
        }));
    }

    @Test
    void twoEventFrameVectorDecodesInOrderAndReencodesByConcatenation() {
        Map<String, Object> vector = ProtocolVectors.valid("server").stream()
                .filter(v -> v.get("json") instanceof List).findFirst().orElseThrow();
        long s32 = ProtocolVectors.serverTimeExample() & 0xFFFF_FFFFL;
        assertThat(s32).isEqualTo(0xac75e9fbL);

        List<ServerMessage.DeltaEvent> events = BinaryCodec.decodeServerFrame(buffer(vector));

        assertThat(events).containsExactly(
                new ServerMessage.Velocity(12, 1.5f, 2.25f, -3f, 4f, s32),
                new ServerMessage.Destroyed(12, s32));
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        for (Map<String, Object> json : ProtocolVectors.jsonObjects(vector)) {
            concatenated.writeBytes(BinaryCodec.encode(ProtocolVectors.serverEvent(json)));
        }
        assertThat(hex(concatenated.toByteArray())).isEqualTo(vector.get("hex"));
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidClientFrameHasTheOutcomeItsWhySays() {
        return ProtocolVectors.invalidClientFrames().stream().map(vector -> dynamicTest((String) vector.get("why"), () -> {
            String why = (String) vector.get("why");
            DecodedFrame frame = BinaryCodec.decodeClientFrame(buffer(vector));
            if (why.contains("out_of_bounds")) {
                // Decodes fine; the universe turns the non-finite coordinate into out_of_bounds (UniverseTest).
                assertThat(frame.isUndecodable()).as(frame.failure()).isFalse();
                assertThat(frame.items()).hasSize(1).first().isInstanceOf(ClientMessage.Move.class);
                ClientMessage.Move move = (ClientMessage.Move) frame.items().get(0);
                assertThat(Float.isFinite(move.x()) && Float.isFinite(move.y())).isFalse();
            } else {
                assertThat(frame.isUndecodable()).as("undecodable: " + why).isTrue();
                assertThat(frame.items()).isEmpty();
                assertThat(frame.failure()).isNotBlank();
            }
        }));
    }

    @Test
    void nanAndInfinityVectorsCarryExactlyThoseValues() {
        List<Map<String, Object>> invalid = ProtocolVectors.invalidClientFrames();
        ClientMessage.Move nan = (ClientMessage.Move) BinaryCodec.decodeClientFrame(buffer(byWhy(invalid, "NaN"))).items().get(0);
        ClientMessage.Move inf = (ClientMessage.Move) BinaryCodec.decodeClientFrame(buffer(byWhy(invalid, "infinite"))).items().get(0);
        assertThat(nan.x()).isNaN();
        assertThat(inf.x()).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(nan.id()).isEqualTo(1);
        assertThat(inf.id()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ framing

    @Test
    void severalMessagesBackToBackDecodeInOrder() {
        List<ClientMessage> messages = List.of(
                new ClientMessage.Spawn(7, 3, 1f, 2f, 3f, 4f),
                new ClientMessage.Move(9, -1f, -2f, 0.5f, 0.25f),
                new ClientMessage.Ping(123.5),
                new ClientMessage.Destroy(9),
                new ClientMessage.Destroy(0xFFFF_FFFFL),
                new ClientMessage.Spawn(8, 0, 0f, 0f, 0f, 0f));
        DecodedFrame frame = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(concat(messages)));
        assertThat(frame.isUndecodable()).isFalse();
        assertThat(frame.items()).containsExactlyElementsOf(messages);
    }

    @Test
    void aTrailingPartialMessageMakesTheWholeFrameUndecodable() {
        byte[] good = concat(List.of(new ClientMessage.Spawn(1, 1, 0f, 0f, 0f, 0f), new ClientMessage.Destroy(5)));
        byte[] move = BinaryCodec.encode(new ClientMessage.Move(5, 1f, 1f, 1f, 1f));
        for (int cut = 1; cut < move.length; cut++) {
            byte[] frame = Arrays.copyOf(good, good.length + cut);
            System.arraycopy(move, 0, frame, good.length, cut);
            DecodedFrame decoded = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(frame));
            assertThat(decoded.isUndecodable()).as("move cut to %d bytes", cut).isTrue();
            assertThat(decoded.items()).isEmpty();
        }
    }

    @Test
    void anUnknownTypeAfterValidMessagesMakesTheWholeFrameUndecodable() {
        byte[] good = BinaryCodec.encode(new ClientMessage.Destroy(5));
        for (int type : new int[] {0x00, 0x01, 0x02, 0x03, 0x04, 0x10, 0x16, 0x7f, 0xff}) {
            byte[] frame = Arrays.copyOf(good, good.length + 8);
            frame[good.length] = (byte) type;
            DecodedFrame decoded = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(frame));
            assertThat(decoded.isUndecodable()).as("type 0x%02x", type).isTrue();
            assertThat(decoded.items()).isEmpty();
        }
    }

    @Test
    void everyWrongLengthOfASingleMessageIsUndecodable() {
        for (ClientMessage message : List.of(new ClientMessage.Spawn(1, 1, 0f, 0f, 0f, 0f),
                new ClientMessage.Move(1, 0f, 0f, 0f, 0f), new ClientMessage.Destroy(1), new ClientMessage.Ping(1))) {
            byte[] exact = BinaryCodec.encode(message);
            assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(exact)).items()).containsExactly(message);
            for (int length = 1; length < exact.length; length++) {
                assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(Arrays.copyOf(exact, length))).isUndecodable())
                        .as("%s cut to %d bytes", message.type(), length).isTrue();
            }
            byte[] longer = Arrays.copyOf(exact, exact.length + 1);
            longer[exact.length] = exact[0]; // one more byte that starts another message of the same type
            assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(longer)).isUndecodable())
                    .as("%s one byte long", message.type()).isTrue();
        }
    }

    @Test
    void serverEventTypeBytesAreNotClientMessages() {
        byte[] appeared = BinaryCodec.encode(new ServerMessage.Appeared(1, 1, 1, 0, 0, 0, 0, 0, 0));
        assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(appeared)).isUndecodable()).isTrue();
    }

    @Test
    void decodingNeitherMovesTheBufferNorDependsOnItsByteOrderOrOffset() {
        ClientMessage.Move move = new ClientMessage.Move(0x01020304L, 1.5f, -2.5f, 3f, -4f);
        byte[] body = BinaryCodec.encode(move);
        byte[] padded = new byte[body.length + 7];
        System.arraycopy(body, 0, padded, 3, body.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(padded.length).order(ByteOrder.BIG_ENDIAN);
        direct.put(padded).position(3).limit(3 + body.length);

        DecodedFrame frame = BinaryCodec.decodeClientFrame(direct);

        assertThat(frame.items()).containsExactly(move);
        assertThat(direct.position()).isEqualTo(3);
        assertThat(direct.limit()).isEqualTo(3 + body.length);
        assertThat(direct.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        // The same bytes sliced from a heap array with an offset.
        assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(padded, 3, body.length).slice()).items()).containsExactly(move);
    }

    @Test
    void unsignedFieldsUseTheirWholeRange() {
        ClientMessage.Spawn max = new ClientMessage.Spawn(0xFFFF_FFFFL, 0xFFFF, 0f, 0f, 0f, 0f);
        ClientMessage.Spawn high = new ClientMessage.Spawn(0x8000_0000L, 0x8000, 0f, 0f, 0f, 0f);
        DecodedFrame frame = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(concat(List.of(max, high))));
        assertThat(frame.items()).containsExactly(max, high);
        ClientMessage.Spawn decoded = (ClientMessage.Spawn) frame.items().get(0);
        assertThat(decoded.ref()).isEqualTo(4_294_967_295L);
        assertThat(decoded.kind()).isEqualTo(65_535);

        ServerMessage.Appeared appeared = new ServerMessage.Appeared(0xFFFF_FFFFL, 0xFFFF_FFFEL, 0xFFFF, 1, 2, 3, 4,
                0xFFFF_FFFDL, 0xFFFF_FFFCL);
        assertThat(BinaryCodec.decodeServerFrame(ByteBuffer.wrap(BinaryCodec.encode(appeared)))).containsExactly(appeared);
    }

    @Test
    void nonFiniteFloatsDecodeAsTheyAreForTheUniverseToJudge() {
        ClientMessage.Spawn spawn = new ClientMessage.Spawn(1, 1, Float.NaN, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY, Float.NaN);
        DecodedFrame frame = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(BinaryCodec.encode(spawn)));
        assertThat(frame.isUndecodable()).isFalse();
        ClientMessage.Spawn decoded = (ClientMessage.Spawn) frame.items().get(0);
        assertThat(decoded.x()).isNaN();
        assertThat(decoded.y()).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(decoded.vx()).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(decoded.vy()).isNaN();
    }

    @Test
    void aPingWithANonFiniteClockIsOneMalformedItemNotAnUndecodableFrame() {
        byte[] frame = concat(List.of(new ClientMessage.Ping(Double.NaN), new ClientMessage.Ping(5),
                new ClientMessage.Ping(Double.POSITIVE_INFINITY)));
        DecodedFrame decoded = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(frame));
        assertThat(decoded.isUndecodable()).isFalse();
        assertThat(decoded.items()).hasSize(3);
        assertThat(decoded.items().get(0)).isInstanceOf(InboundItem.Malformed.class);
        assertThat(decoded.items().get(1)).isEqualTo(new ClientMessage.Ping(5));
        assertThat(decoded.items().get(2)).isInstanceOf(InboundItem.Malformed.class);
    }

    @Test
    void decodedItemsCannotBeChanged() {
        DecodedFrame frame = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(BinaryCodec.encode(new ClientMessage.Destroy(1))));
        assertThatThrownBy(() -> frame.items().add(new ClientMessage.Destroy(2)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // ------------------------------------------------------------------ server events

    @Test
    void serverTimeIsSentModulo2To32() {
        long time = 0x1_2345_6789L;
        byte[] destroyed = BinaryCodec.encode(new ServerMessage.Destroyed(1, time));
        assertThat(hex(destroyed)).isEqualTo("030100000089674523");
        assertThat(BinaryCodec.decodeServerFrame(ByteBuffer.wrap(destroyed)))
                .containsExactly(new ServerMessage.Destroyed(1, 0x2345_6789L));
    }

    @Test
    void eachServerEventRoundTrips() {
        List<ServerMessage.DeltaEvent> events = List.of(
                new ServerMessage.Appeared(3, 4, 5, -1.25f, 2.5f, Float.MIN_VALUE, -Float.MAX_VALUE, 77, 0),
                new ServerMessage.Velocity(3, 1, 2, 3, 4, 78),
                new ServerMessage.Destroyed(3, 79));
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        for (ServerMessage.DeltaEvent e : events) {
            frame.writeBytes(BinaryCodec.encode(e));
        }
        assertThat(BinaryCodec.decodeServerFrame(ByteBuffer.wrap(frame.toByteArray()))).containsExactlyElementsOf(events);
    }

    @Test
    void aBadServerFrameIsRefused() {
        byte[] destroyed = BinaryCodec.encode(new ServerMessage.Destroyed(1, 2));
        assertThatThrownBy(() -> BinaryCodec.decodeServerFrame(ByteBuffer.wrap(Arrays.copyOf(destroyed, 8))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinaryCodec.decodeServerFrame(ByteBuffer.wrap(HexFormat.of().parseHex("11"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(BinaryCodec.decodeServerFrame(ByteBuffer.allocate(0))).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static String name(Map<String, Object> vector) {
        Object json = vector.get("json");
        String type = json instanceof Map ? String.valueOf(((Map<?, ?>) json).get("t")) : "frame of " + ((List<?>) json).size();
        return vector.get("direction") + " " + type + " " + vector.get("hex");
    }


    private static Map<String, Object> byWhy(List<Map<String, Object>> vectors, String fragment) {
        return vectors.stream().filter(v -> ((String) v.get("why")).contains(fragment)).findFirst().orElseThrow();
    }

    static ServerMessage.DeltaEvent withS32(ServerMessage.DeltaEvent event) {
        if (event instanceof ServerMessage.Appeared) {
            ServerMessage.Appeared a = (ServerMessage.Appeared) event;
            return new ServerMessage.Appeared(a.id(), a.owner(), a.kind(), a.x(), a.y(), a.vx(), a.vy(),
                    ProtocolConstants.s32(a.serverTime()), a.ref());
        } else if (event instanceof ServerMessage.Velocity) {
            ServerMessage.Velocity v = (ServerMessage.Velocity) event;
            return new ServerMessage.Velocity(v.id(), v.x(), v.y(), v.vx(), v.vy(), ProtocolConstants.s32(v.serverTime()));
        }
        ServerMessage.Destroyed d = (ServerMessage.Destroyed) event;
        return new ServerMessage.Destroyed(d.id(), ProtocolConstants.s32(d.serverTime()));
    }

    private static byte[] concat(List<? extends ClientMessage> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ClientMessage m : messages) {
            out.writeBytes(BinaryCodec.encode(m));
        }
        return out.toByteArray();
    }
}
