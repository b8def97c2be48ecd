package dev.universerelay.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The replay extension's two messages (docs/protocol.md section 15), JSON text on either
 * subprotocol, like the other control messages: the viewer's {@code replay} control (speed,
 * pause, seek) and the server's {@code replay} status. Strict like {@link JsonCodec}: a field of
 * the wrong type or an unknown field is refused with a message that says which.
 */
public final class ReplayCodec {
    /** Slowest and fastest playback. */
    public static final double MIN_SPEED = 0.25;
    public static final double MAX_SPEED = 4.0;
    public static final String TYPE = "replay";

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ReplayCodec() {
    }

    /**
     * What a viewer asks; each field is null when absent.
     *
     * @param speed  playback speed, {@link #MIN_SPEED} to {@link #MAX_SPEED}
     * @param paused true to pause, false to go on
     * @param seek   server time (epoch ms) within the recording to continue from
     */
    public record Control(Double speed, Boolean paused, Long seek) {
    }

    /**
     * Where a replay stands, sent after its {@code welcome}, after each control and when it reaches
     * the end.
     *
     * @param serverTime the recorded server time the replay is at
     */
    public record Status(String id, String universe, long start, long end, long serverTime, double speed,
                         boolean paused, boolean ended) {
    }

    /** Whether a JSON text frame is a replay control (its {@code t} is {@code replay}), without parsing it all. */
    public static boolean isControl(String text) {
        return text.contains("\"" + TYPE + "\"");
    }

    /**
     * Reads a control message.
     *
     * @throws IllegalArgumentException with the reason, for a {@code bad_message}
     */
    public static Control decodeControl(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a replay control is one JSON object");
            }
            String type = null;
            Double speed = null;
            Boolean paused = null;
            Long seek = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "t" -> {
                        require(value == JsonToken.VALUE_STRING, "field t must be a string");
                        type = parser.getText();
                    }
                    case "speed" -> {
                        require(value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT,
                                "field speed must be a number");
                        speed = parser.getDoubleValue();
                        require(speed >= MIN_SPEED && speed <= MAX_SPEED,
                                "speed must be between " + MIN_SPEED + " and " + MAX_SPEED);
                    }
                    case "paused" -> {
                        require(value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE, "field paused must be true or false");
                        paused = value == JsonToken.VALUE_TRUE;
                    }
                    case "seek" -> {
                        require(value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER,
                                "field seek must be a server time in whole milliseconds");
                        seek = parser.getLongValue();
                    }
                    default -> {
                        parser.skipChildren();
                        throw new IllegalArgumentException("unknown field " + shorten(name) + " in a replay control");
                    }
                }
            }
            require(TYPE.equals(type), "field t must be \"replay\"");
            require(parser.nextToken() == null, "trailing data after the JSON value");
            require(speed != null || paused != null || seek != null, "a replay control needs speed, paused or seek");
            return new Control(speed, paused, seek);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON");
        }
    }

    /** Encodes a status as one JSON object, UTF-8. */
    public static byte[] encode(Status s) {
        StringBuilder b = new StringBuilder(192).append("{\"t\":\"replay\",\"id\":");
        JsonCodec.appendString(b, s.id()).append(",\"universe\":");
        JsonCodec.appendString(b, s.universe()).append(",\"start\":").append(s.start()).append(",\"end\":").append(s.end())
                .append(",\"s\":").append(s.serverTime()).append(",\"speed\":");
        JsonCodec.appendNumber(b, s.speed()).append(",\"paused\":").append(s.paused())
                .append(",\"ended\":").append(s.ended()).append('}');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String shorten(String s) {
        return JsonCodec.appendString(new StringBuilder(), s.length() > 32 ? s.substring(0, 32) + "…" : s).toString();
    }
}
