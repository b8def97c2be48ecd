package dev.universerelay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code relay.v1.json} wire: the shared vectors, and the strictness the contract asks of
 * client frames. "Malformed" is one bad item (one {@code bad_message}, the other items of the
 * frame still count); "undecodable" is the whole frame (one {@code bad_message}, nothing applied).
 */
class JsonCodecTest {

    private static final String SPAWN = "{\"t\":\"spawn\",\"ref\":1,\"k\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}";
    private static final String PING = "{\"t\":\"ping\",\"c\":1}";

    // ------------------------------------------------------------------ shared vectors

    @TestFactory
    Stream<DynamicTest> everyClientVectorDecodesFromItsJsonToTheSameMessageAsFromItsHex() {
        return ProtocolVectors.valid("client").stream().map(vector -> dynamicTest(
                vector.get("hex").toString(), () -> {
                    @SuppressWarnings("unchecked")
                    ClientMessage expected = ProtocolVectors.clientMessage((Map<String, Object>) vector.get("json"));
                    String text = ProtocolVectors.jsonText(vector);

                    DecodedFrame fromJson = JsonCodec.decodeClientFrame(text);
                    DecodedFrame fromHex = BinaryCodec.decodeClientFrame(ProtocolVectors.buffer(vector));

                    assertThat(fromJson.isUndecodable()).as(text + ": " + fromJson.failure()).isFalse();
                    assertThat(fromJson.items()).containsExactly(expected);
                    assertThat(fromJson.items()).isEqualTo(fromHex.items());
                    // The same message as a one-element array.
                    assertThat(JsonCodec.decodeClientFrame("[" + text + "]").items()).containsExactly(expected);
                }));
    }

    @Test
    void allClientVectorsInOneArrayDecodeInOrder() {
        List<ClientMessage> expected = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> vector : ProtocolVectors.valid("client")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) vector.get("json");
            expected.add(ProtocolVectors.clientMessage(json));
            texts.add(ProtocolVectors.jsonText(vector));
        }
        DecodedFrame frame = JsonCodec.decodeClientFrame("[" + String.join(",", texts) + "]");
        assertThat(frame.items()).containsExactlyElementsOf(expected);
    }

    @TestFactory
    Stream<DynamicTest> everyServerVectorEncodesToJsonWithTheVectorsFields() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> vector : ProtocolVectors.valid("server")) {
            for (Map<String, Object> json : ProtocolVectors.jsonObjects(vector)) {
                tests.add(dynamicTest(json.get("t") + " " + vector.get("hex"), () -> {
                    assertThat(ProtocolVectors.integer(json, "s")).isEqualTo(ProtocolVectors.serverTimeExample());
                    byte[] encoded = JsonCodec.encode(ProtocolVectors.serverEvent(json));
                    Map<String, Object> parsed = ProtocolVectors.parseObject(encoded);
                    assertSameFields(parsed, json);
                    // encodeControl accepts delta events too and writes the same text.
                    assertThat(new String(JsonCodec.encodeControl(ProtocolVectors.serverEvent(json)), StandardCharsets.UTF_8))
                            .isEqualTo(new String(encoded, StandardCharsets.UTF_8));
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void deltaEventsCarryTheFullServerTimeAndIntegralFloatsWithoutFraction() {
        String text = new String(JsonCodec.encode(new ServerMessage.Velocity(12, 1.5f, -4f, 0f, 30f, 1_763_830_000_123L)),
                StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("{\"t\":\"velocity\",\"id\":12,\"x\":1.5,\"y\":-4,\"vx\":0,\"vy\":30,\"s\":1763830000123}");
        assertThat(new String(JsonCodec.encode(new ServerMessage.Destroyed(4_294_967_295L, 1)), StandardCharsets.UTF_8))
                .isEqualTo("{\"t\":\"destroyed\",\"id\":4294967295,\"s\":1}");
    }

    @Test
    void encodedFloatsAreValidJsonThatReadsBackToTheSameFloat32() {
        float[] values = {0.1f, -0.1f, 1e-5f, 123456.78f, -99999.5f, 16_777_216f, 16_777_218f, 3e38f, -Float.MAX_VALUE,
                Float.MIN_VALUE, Float.MIN_NORMAL, -0f, 2.5e-10f, 1e20f};
        for (float value : values) {
            byte[] encoded = JsonCodec.encode(new ServerMessage.Appeared(1, 2, 3, value, value, value, value, 4, 5));
            Map<String, Object> parsed = ProtocolVectors.parseObject(encoded);
            for (String field : List.of("x", "y", "vx", "vy")) {
                assertThat((float) ProtocolVectors.decimal(parsed, field))
                        .as("%s of %s in %s", field, value, new String(encoded, StandardCharsets.UTF_8))
                        .isEqualTo(value == 0 ? 0f : value);
            }
        }
    }

    // ------------------------------------------------------------------ accepted forms

    @Test
    void integersAndExponentsAreAcceptedForFloatFields() {
        DecodedFrame frame = JsonCodec.decodeClientFrame(
                "{\"t\":\"move\",\"id\":3,\"x\":1e2,\"y\":-4,\"vx\":2.5E-1,\"vy\":0}");
        assertThat(frame.items()).containsExactly(new ClientMessage.Move(3, 100f, -4f, 0.25f, 0f));
    }

    @Test
    void unsignedFieldsAcceptTheirWholeRange() {
        assertThat(JsonCodec.decodeClientFrame("{\"t\":\"spawn\",\"ref\":4294967295,\"k\":65535,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}").items())
                .containsExactly(new ClientMessage.Spawn(4_294_967_295L, 65_535, 0, 0, 0, 0));
        assertThat(JsonCodec.decodeClientFrame("{\"t\":\"spawn\",\"ref\":0,\"k\":0,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}").items())
                .containsExactly(new ClientMessage.Spawn(0, 0, 0, 0, 0, 0));
        assertThat(JsonCodec.decodeClientFrame("{\"t\":\"destroy\",\"id\":4294967295}").items())
                .containsExactly(new ClientMessage.Destroy(4_294_967_295L));
    }

    @Test
    void fieldOrderWhitespaceEscapesAndUnknownFieldsDoNotMatter() {
        DecodedFrame frame = JsonCodec.decodeClientFrame(
                " \n{ \"vy\" : 4 , \"id\":12,\"x\":1.5,\"y\":2.25,\"vx\":-3,\"t\":\"m\\u006fve\","
                        + "\"extra\":{\"deep\":[1,{\"a\":null},\"s\"]},\"flag\":true,\"nothing\":null}\t ");
        assertThat(frame.items()).containsExactly(new ClientMessage.Move(12, 1.5f, 2.25f, -3f, 4f));
    }

    @Test
    void numbersTooLargeForFloat32DecodeAsInfinityForTheUniverseToRefuse() {
        DecodedFrame frame = JsonCodec.decodeClientFrame(
                "{\"t\":\"move\",\"id\":1,\"x\":1e39,\"y\":-123456789012345678901234567890123456789012,\"vx\":0,\"vy\":0}");
        assertThat(frame.isUndecodable()).isFalse();
        ClientMessage.Move move = (ClientMessage.Move) frame.items().get(0);
        assertThat(move.x()).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(move.y()).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    // ------------------------------------------------------------------ malformed items

    @ParameterizedTest(name = "malformed: {0}")
    @ValueSource(strings = {
            // strings for numbers
            "{\"t\":\"spawn\",\"ref\":\"5\",\"k\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"spawn\",\"ref\":1,\"k\":\"1\",\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"spawn\",\"ref\":1,\"k\":1,\"x\":\"1.5\",\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"move\",\"id\":\"5\",\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"move\",\"id\":5,\"x\":0,\"y\":0,\"vx\":\"0\",\"vy\":0}",
            "{\"t\":\"destroy\",\"id\":\"5\"}",
            "{\"t\":\"ping\",\"c\":\"5\"}",
            // fractions for integers
            "{\"t\":\"spawn\",\"ref\":1.5,\"k\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"spawn\",\"ref\":1,\"k\":1.5,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"move\",\"id\":1.5,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"destroy\",\"id\":1.5}",
            "{\"t\":\"destroy\",\"id\":1.0}",
            "{\"t\":\"destroy\",\"id\":1e0}",
            // negatives
            "{\"t\":\"spawn\",\"ref\":-1,\"k\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"spawn\",\"ref\":1,\"k\":-1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"destroy\",\"id\":-1}",
            "{\"t\":\"destroy\",\"id\":-4294967296}",
            "{\"t\":\"destroy\",\"id\":-99999999999999999999999}",
            // out of range
            "{\"t\":\"destroy\",\"id\":4294967296}",
            "{\"t\":\"move\",\"id\":4294967296,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"spawn\",\"ref\":4294967296,\"k\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"destroy\",\"id\":9223372036854775807}",
            "{\"t\":\"destroy\",\"id\":18446744073709551616}",
            "{\"t\":\"destroy\",\"id\":99999999999999999999999999999}",
            "{\"t\":\"spawn\",\"ref\":1,\"k\":65536,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"spawn\",\"ref\":1,\"k\":4294967295,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"ping\",\"c\":1e400}",
            "{\"t\":\"ping\",\"c\":-1e400}",
            // missing fields
            "{\"t\":\"spawn\",\"k\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"spawn\",\"ref\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"spawn\",\"ref\":1,\"k\":1,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"move\",\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"move\",\"id\":1,\"x\":0,\"y\":0,\"vx\":0}",
            "{\"t\":\"destroy\"}",
            "{\"t\":\"ping\"}",
            // t
            "{}",
            "{\"c\":1}",
            "{\"t\":\"warp\",\"c\":1}",
            "{\"t\":\"\",\"c\":1}",
            "{\"t\":\"PING\",\"c\":1}",
            "{\"t\":\"pong\",\"c\":1}",
            "{\"t\":\"appeared\",\"id\":1}",
            "{\"t\":5,\"c\":1}",
            "{\"t\":null,\"c\":1}",
            "{\"t\":true,\"c\":1}",
            "{\"t\":[\"ping\"],\"c\":1}",
            "{\"t\":{\"name\":\"ping\"},\"c\":1}",
            // nested values, null, booleans
            "{\"t\":\"spawn\",\"ref\":1,\"k\":1,\"x\":{\"v\":1},\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"spawn\",\"ref\":[1],\"k\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"destroy\",\"id\":{\"id\":1}}",
            "{\"t\":\"destroy\",\"id\":[]}",
            "{\"t\":\"ping\",\"c\":{}}",
            "{\"t\":\"move\",\"id\":1,\"x\":null,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"destroy\",\"id\":true}",
            "{\"t\":\"destroy\",\"id\":null}",
    })
    void aBadMessageObjectIsOneMalformedItem(String text) {
        DecodedFrame frame = JsonCodec.decodeClientFrame(text);
        assertThat(frame.isUndecodable()).as("undecodable: %s", frame.failure()).isFalse();
        assertThat(frame.items()).hasSize(1);
        assertThat(frame.items().get(0)).isInstanceOf(InboundItem.Malformed.class);
        assertThat(((InboundItem.Malformed) frame.items().get(0)).reason()).isNotBlank();

        // In an array, between two good messages: only that item is malformed.
        DecodedFrame batch = JsonCodec.decodeClientFrame("[" + PING + "," + text + "," + SPAWN + "]");
        assertThat(batch.isUndecodable()).isFalse();
        assertThat(batch.items()).hasSize(3);
        assertThat(batch.items().get(0)).isEqualTo(new ClientMessage.Ping(1));
        assertThat(batch.items().get(1)).isInstanceOf(InboundItem.Malformed.class);
        assertThat(batch.items().get(2)).isEqualTo(new ClientMessage.Spawn(1, 1, 0, 0, 0, 0));
    }

    @TestFactory
    Stream<DynamicTest> removingAnyRequiredFieldOfAVectorMakesItMalformed() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> vector : ProtocolVectors.valid("client")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) vector.get("json");
            for (String field : json.keySet()) {
                Map<String, Object> without = new LinkedHashMap<>(json);
                without.remove(field);
                String text = new String(write(without), StandardCharsets.UTF_8);
                tests.add(dynamicTest(json.get("t") + " without " + field, () -> {
                    DecodedFrame frame = JsonCodec.decodeClientFrame(text);
                    assertThat(frame.isUndecodable()).isFalse();
                    assertThat(frame.items()).singleElement().isInstanceOf(InboundItem.Malformed.class);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void nonObjectArrayElementsAreMalformedAndTheValidItemsAroundThemStillDecode() {
        DecodedFrame frame = JsonCodec.decodeClientFrame(
                "[" + PING + ",5,\"ping\",null,true,[],[" + PING + "],{\"t\":\"destroy\",\"id\":3},{\"t\":\"warp\"}," + SPAWN + "]");
        assertThat(frame.isUndecodable()).isFalse();
        List<InboundItem> items = frame.items();
        assertThat(items).hasSize(10);
        assertThat(items.get(0)).isEqualTo(new ClientMessage.Ping(1));
        for (int i = 1; i <= 6; i++) {
            assertThat(items.get(i)).as("item %d", i).isInstanceOf(InboundItem.Malformed.class);
        }
        assertThat(items.get(7)).isEqualTo(new ClientMessage.Destroy(3));
        assertThat(items.get(8)).isInstanceOf(InboundItem.Malformed.class);
        assertThat(items.get(9)).isEqualTo(new ClientMessage.Spawn(1, 1, 0, 0, 0, 0));
    }

    // ------------------------------------------------------------------ undecodable frames

    @ParameterizedTest(name = "undecodable: {0}")
    @ValueSource(strings = {
            // NaN and Infinity literals are not JSON
            "{\"t\":\"ping\",\"c\":NaN}",
            "{\"t\":\"ping\",\"c\":Infinity}",
            "{\"t\":\"ping\",\"c\":-Infinity}",
            "{\"t\":\"move\",\"id\":1,\"x\":NaN,\"y\":0,\"vx\":0,\"vy\":0}",
            "{\"t\":\"move\",\"id\":1,\"x\":0,\"y\":0,\"vx\":Infinity,\"vy\":0}",
            "[{\"t\":\"ping\",\"c\":1},{\"t\":\"ping\",\"c\":NaN}]",
            // duplicate keys
            "{\"t\":\"ping\",\"c\":1,\"c\":2}",
            "{\"t\":\"ping\",\"t\":\"ping\",\"c\":1}",
            "{\"t\":\"destroy\",\"id\":1,\"id\":2}",
            "[{\"t\":\"ping\",\"c\":1},{\"t\":\"destroy\",\"id\":1,\"id\":1}]",
            "{\"t\":\"ping\",\"c\":1,\"extra\":{\"a\":1,\"a\":2}}",
            // trailing garbage
            "{\"t\":\"ping\",\"c\":1} x",
            "{\"t\":\"ping\",\"c\":1}}",
            "{\"t\":\"ping\",\"c\":1},",
            "{\"t\":\"ping\",\"c\":1}{\"t\":\"ping\",\"c\":2}",
            "{\"t\":\"ping\",\"c\":1} 5",
            "[{\"t\":\"ping\",\"c\":1}]]",
            "[{\"t\":\"ping\",\"c\":1}] []",
            // empty array and non-object roots
            "[]",
            " [ ] ",
            "5",
            "1.5",
            "\"ping\"",
            "null",
            "true",
            "",
            "   ",
            // not JSON
            "hello",
            "{t:\"ping\",c:1}",
            "{'t':'ping','c':1}",
            "/* c */{\"t\":\"ping\",\"c\":1}",
            "{\"t\":\"ping\",\"c\":01}",
            "{\"t\":\"ping\",\"c\":+1}",
            "{\"t\":\"ping\",\"c\":.5}",
            "{\"t\":\"ping\",\"c\":1,}",
            "[{\"t\":\"ping\",\"c\":1},]",
            "{\"t\":\"ping\" \"c\":1}",
            // truncated
            "{\"t\":\"ping\",\"c\":1",
            "{\"t\":\"ping\",\"c\":",
            "[{\"t\":\"ping\",\"c\":1}",
            "[{\"t\":\"ping\",\"c\":1},",
            "[",
            "{",
    })
    void aFrameThatIsNotOneObjectOrANonEmptyArrayOfThemIsUndecodable(String text) {
        DecodedFrame frame = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> JsonCodec.decodeClientFrame(text));
        assertThat(frame.isUndecodable()).as("decoded to %s", frame.items()).isTrue();
        assertThat(frame.items()).isEmpty();
        assertThat(frame.failure()).isNotBlank();
    }

    @Test
    void aLongUnknownTypeIsShortenedInTheReason() {
        String type = "x".repeat(500);
        DecodedFrame frame = JsonCodec.decodeClientFrame("{\"t\":\"" + type + "\"}");
        String reason = ((InboundItem.Malformed) frame.items().get(0)).reason();
        assertThat(reason).hasSizeLessThan(100);
    }

    // ------------------------------------------------------------------ control messages

    @Test
    void welcomeHasTheContractsShape() {
        ServerMessage.Welcome welcome = new ServerMessage.Welcome("alpha", 7, "ada", 1_763_830_000_000L, "opaque-token",
                List.of(new ServerMessage.PlayerInfo(3, "bob"), new ServerMessage.PlayerInfo(4, "eve")),
                List.of(new ServerMessage.Appeared(12, 3, 1, 10.5f, -4f, 0f, 30f, 1_763_829_999_950L, 0)),
                new ServerMessage.LimitsInfo(30, 60, 64, 2000, 100000));

        Map<String, Object> json = ProtocolVectors.parseObject(JsonCodec.encodeControl(welcome));

        assertThat(json).containsEntry("t", "welcome").containsEntry("universe", "alpha").containsEntry("name", "ada")
                .containsEntry("resume", "opaque-token");
        assertThat(ProtocolVectors.integer(json, "v")).isEqualTo(1);
        assertThat(ProtocolVectors.integer(json, "you")).isEqualTo(7);
        assertThat(ProtocolVectors.integer(json, "s")).isEqualTo(1_763_830_000_000L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> players = (List<Map<String, Object>>) json.get("players");
        assertThat(players).hasSize(2);
        assertThat(ProtocolVectors.integer(players.get(1), "p")).isEqualTo(4);
        assertThat(players.get(1)).containsEntry("name", "eve");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entities = (List<Map<String, Object>>) json.get("entities");
        assertThat(entities).hasSize(1);
        assertSameFields(entities.get(0), Map.of("id", 12, "o", 3, "k", 1, "x", 10.5, "y", -4, "vx", 0, "vy", 30,
                "s", 1_763_829_999_950L));
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = (Map<String, Object>) json.get("limits");
        assertSameFields(limits, Map.of("rate", 30, "burst", 60, "maxEntities", 64, "maxSpeed", 2000, "bounds", 100000));
    }

    @Test
    void emptyWelcomeListsAreEmptyArrays() {
        ServerMessage.Welcome welcome = new ServerMessage.Welcome("a", 1, "n", 0, "r", List.of(), List.of(),
                new ServerMessage.LimitsInfo(0.5, 1, 0, 0.25, 1.5));
        Map<String, Object> json = ProtocolVectors.parseObject(JsonCodec.encodeControl(welcome));
        assertThat((List<?>) json.get("players")).isEmpty();
        assertThat((List<?>) json.get("entities")).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = (Map<String, Object>) json.get("limits");
        assertThat(ProtocolVectors.decimal(limits, "rate")).isEqualTo(0.5);
        assertThat(ProtocolVectors.decimal(limits, "bounds")).isEqualTo(1.5);
    }

    @Test
    void joinedLeftPongAndErrorHaveTheContractsShape() {
        assertThat(text(new ServerMessage.Joined(3, "bob"))).isEqualTo("{\"t\":\"joined\",\"p\":3,\"name\":\"bob\"}");
        assertThat(text(new ServerMessage.Left(3))).isEqualTo("{\"t\":\"left\",\"p\":3}");
        assertThat(text(new ServerMessage.Pong(1_763_830_000_000.5, 1_763_830_000_123L)))
                .startsWith("{\"t\":\"pong\",\"c\":");
        Map<String, Object> pong = ProtocolVectors.parseObject(JsonCodec.encodeControl(
                new ServerMessage.Pong(1_763_830_000_000.5, 1_763_830_000_123L)));
        assertThat(ProtocolVectors.decimal(pong, "c")).isEqualTo(1_763_830_000_000.5);
        assertThat(ProtocolVectors.integer(pong, "s")).isEqualTo(1_763_830_000_123L);
        assertThat(text(new ServerMessage.Pong(42, 7))).isEqualTo("{\"t\":\"pong\",\"c\":42,\"s\":7}");

        assertThat(text(new ServerMessage.Error(ErrorCode.TOO_FAST, "slow down", 4_294_967_295L)))
                .isEqualTo("{\"t\":\"error\",\"code\":\"too_fast\",\"msg\":\"slow down\",\"ref\":4294967295}");
        assertThat(text(new ServerMessage.Error(ErrorCode.BAD_MESSAGE, "x", null)))
                .isEqualTo("{\"t\":\"error\",\"code\":\"bad_message\",\"msg\":\"x\"}");
    }

    @Test
    void everyErrorCodeHasItsContractName() {
        assertThat(Stream.of(ErrorCode.values()).map(ErrorCode::wireName).collect(Collectors.toList()))
                .containsExactlyInAnyOrder("bad_message", "out_of_bounds", "too_fast", "not_owner", "unknown_entity",
                        "too_many_entities", "rate_limited", "read_only");
    }

    @Test
    void stringsAreEscapedSoThatAnyNameStaysValidJson() {
        String name = "a\"b\\c\nd\re\tf\u0001g\u001fh\u2028i\u2029j/kλ😀";
        byte[] encoded = JsonCodec.encodeControl(new ServerMessage.Joined(1, name));
        String text = new String(encoded, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n", "\r", "\t", "\u0001", "\u001f", "\u2028", "\u2029");
        assertThat(ProtocolVectors.parseObject(encoded)).containsEntry("name", name);
        Map<String, Object> error = ProtocolVectors.parseObject(
                JsonCodec.encodeControl(new ServerMessage.Error(ErrorCode.BAD_MESSAGE, name, null)));
        assertThat(error).containsEntry("msg", name);
    }

    // ------------------------------------------------------------------ helpers

    private static String text(ServerMessage message) {
        return new String(JsonCodec.encodeControl(message), StandardCharsets.UTF_8);
    }

    private static byte[] write(Object value) {
        try {
            return ProtocolVectors.MAPPER.writeValueAsBytes(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


    /** Same field names; strings equal; numbers equal as numbers ({@code -4} equals {@code -4.0}). */
    private static void assertSameFields(Map<String, Object> actual, Map<String, ?> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, ?> e : expected.entrySet()) {
            Object want = e.getValue();
            Object got = actual.get(e.getKey());
            if (want instanceof Number) {
                assertThat(got).as(e.getKey()).isInstanceOf(Number.class);
                assertThat(((Number) got).doubleValue()).as(e.getKey()).isEqualTo(((Number) want).doubleValue());
                if (want instanceof Integer || want instanceof Long) {
                    assertThat(((Number) got).longValue()).as(e.getKey()).isEqualTo(((Number) want).longValue());
                }
            } else {
                assertThat(got).as(e.getKey()).isEqualTo(want);
            }
        }
    }
}
