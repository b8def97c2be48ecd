package dev.universerelay.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code relay.v1.json} wire and the JSON control messages. Decoding reads Jackson's token
 * stream by hand instead of binding to classes: binding coerces {@code "5"} and {@code 1.5} into
 * integers, and the contract requires both to be {@code bad_message}. Encoding writes text
 * directly, since every event is encoded once and shared by all JSON recipients.
 */
public final class JsonCodec {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final BigInteger U32_MAX = BigInteger.valueOf(ProtocolConstants.U32_MAX);

    private JsonCodec() {
    }

    /** Decodes a client text frame holding one message object or an array of them. */
    public static DecodedFrame decodeClientFrame(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken root = parser.nextToken();
            List<InboundItem> items = new ArrayList<>();
            if (root == JsonToken.START_OBJECT) {
                items.add(decodeObject(readFields(parser)));
            } else if (root == JsonToken.START_ARRAY) {
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    if (t == JsonToken.START_OBJECT) {
                        items.add(decodeObject(readFields(parser)));
                    } else {
                        parser.skipChildren();
                        items.add(new InboundItem.Malformed("array element is not a message object"));
                    }
                }
            } else {
                return DecodedFrame.undecodable("a frame holds a message object or an array of them");
            }
            if (parser.nextToken() != null) {
                return DecodedFrame.undecodable("trailing data after the JSON value");
            }
            if (items.isEmpty()) {
                return DecodedFrame.undecodable("empty message array");
            }
            return DecodedFrame.of(items);
        } catch (JsonProcessingException e) {
            return DecodedFrame.undecodable("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return DecodedFrame.undecodable("not valid JSON");
        }
    }

    /** A scalar JSON value as the parser saw it; objects and arrays become {@code NESTED}. */
    private record Field(JsonToken token, String text, Number number) {
    }

    private static Map<String, Field> readFields(JsonParser parser) throws IOException {
        Map<String, Field> fields = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            Field field = switch (value) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Field(value, null, parser.getNumberValue());
                case VALUE_STRING -> new Field(value, parser.getText(), null);
                case START_OBJECT, START_ARRAY -> {
                    parser.skipChildren();
                    yield new Field(value, null, null);
                }
                default -> new Field(value, null, null);
            };
            fields.put(name, field);
        }
        return fields;
    }

    private static InboundItem decodeObject(Map<String, Field> f) {
        Field type = f.get("t");
        if (type == null || type.token() != JsonToken.VALUE_STRING) {
            return new InboundItem.Malformed("field t must be a string");
        }
        ClientMessage.Kind kind = ClientMessage.Kind.ofWireName(type.text());
        if (kind == null) {
            return new InboundItem.Malformed("unknown message type " + quote(type.text()));
        }
        try {
            return switch (kind) {
                case SPAWN -> new ClientMessage.Spawn(u32(f, "ref"), (int) unsigned(f, "k", 0xFFFF),
                        number(f, "x"), number(f, "y"), number(f, "vx"), number(f, "vy"));
                case MOVE -> new ClientMessage.Move(u32(f, "id"),
                        number(f, "x"), number(f, "y"), number(f, "vx"), number(f, "vy"),
                        f.containsKey("seq") ? u32(f, "seq") : ProtocolConstants.NO_SEQ);
                case DESTROY -> new ClientMessage.Destroy(u32(f, "id"));
                case PING -> new ClientMessage.Ping(finiteDouble(f, "c"));
                case VIEW -> new ClientMessage.View(number(f, "x"), number(f, "y"), number(f, "r"));
            };
        } catch (FieldException e) {
            return new InboundItem.Malformed(e.getMessage());
        }
    }

    private static final class FieldException extends Exception {
        FieldException(String message) {
            super(message, null, false, false);
        }
    }

    private static long u32(Map<String, Field> f, String name) throws FieldException {
        return unsigned(f, name, ProtocolConstants.U32_MAX);
    }

    private static long unsigned(Map<String, Field> f, String name, long max) throws FieldException {
        Field field = f.get(name);
        if (field == null) {
            throw new FieldException("missing field " + name);
        }
        if (field.token() != JsonToken.VALUE_NUMBER_INT) {
            throw new FieldException("field " + name + " must be an integer");
        }
        Number n = field.number();
        if (n instanceof BigInteger big) {
            if (big.signum() < 0 || big.compareTo(U32_MAX) > 0) {
                throw new FieldException("field " + name + " must be in 0.." + max);
            }
        }
        long value = n.longValue();
        if (value < 0 || value > max) {
            throw new FieldException("field " + name + " must be in 0.." + max);
        }
        return value;
    }

    private static double finiteDouble(Map<String, Field> f, String name) throws FieldException {
        double value = numeric(f, name).doubleValue();
        if (!Double.isFinite(value)) {
            throw new FieldException("field " + name + " must be a finite number");
        }
        return value;
    }

    /** A coordinate or speed: any JSON number; its range is checked by the universe's rules. */
    private static float number(Map<String, Field> f, String name) throws FieldException {
        return numeric(f, name).floatValue();
    }

    /** A field that must be present and a JSON number (integer or not). */
    private static Number numeric(Map<String, Field> f, String name) throws FieldException {
        Field field = f.get(name);
        if (field == null) {
            throw new FieldException("missing field " + name);
        }
        if (field.token() != JsonToken.VALUE_NUMBER_INT && field.token() != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new FieldException("field " + name + " must be a number");
        }
        return field.number();
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes a delta event as one JSON object, UTF-8. */
    public static byte[] encode(ServerMessage.DeltaEvent event) {
        return appendEvent(new StringBuilder(96), event).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes a control message as one JSON object, UTF-8. */
    public static byte[] encodeControl(ServerMessage message) {
        StringBuilder b = new StringBuilder(128);
        // a switch expression, so that a new kind of message must be encoded here (see ServerMessage.Kind)
        StringBuilder json = switch (message.messageKind()) {
            case APPEARED, VELOCITY, DESTROYED, HIDDEN, ACK -> appendEvent(b, (ServerMessage.DeltaEvent) message);
            case WELCOME -> appendWelcome(b, (ServerMessage.Welcome) message);
            case JOINED -> {
                ServerMessage.Joined j = (ServerMessage.Joined) message;
                b.append("{\"t\":\"joined\",\"p\":").append(j.player()).append(",\"name\":");
                yield appendString(b, j.name()).append('}');
            }
            case LEFT -> b.append("{\"t\":\"left\",\"p\":").append(((ServerMessage.Left) message).player()).append('}');
            case PONG -> {
                ServerMessage.Pong p = (ServerMessage.Pong) message;
                b.append("{\"t\":\"pong\",\"c\":");
                yield appendNumber(b, p.clientTime()).append(",\"s\":").append(p.serverTime()).append('}');
            }
            case ERROR -> appendError(b, (ServerMessage.Error) message);
        };
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder appendError(StringBuilder b, ServerMessage.Error e) {
        b.append("{\"t\":\"error\",\"code\":\"").append(e.code().wireName()).append("\",\"msg\":");
        appendString(b, e.message());
        if (e.ref() != null) {
            b.append(",\"ref\":").append(e.ref());
        }
        if (e.seq() != null) {
            b.append(",\"seq\":").append(e.seq());
        }
        return b.append('}');
    }

    private static StringBuilder appendEvent(StringBuilder b, ServerMessage.DeltaEvent event) {
        return switch (event.messageKind()) {
            case APPEARED -> {
                ServerMessage.Appeared a = (ServerMessage.Appeared) event;
                b.append("{\"t\":\"appeared\",");
                yield appendEntity(b, a).append(",\"ref\":").append(a.ref()).append('}');
            }
            case VELOCITY -> {
                ServerMessage.Velocity v = (ServerMessage.Velocity) event;
                b.append("{\"t\":\"velocity\",\"id\":").append(v.id());
                yield appendState(b, v.x(), v.y(), v.vx(), v.vy()).append(",\"s\":").append(v.serverTime()).append('}');
            }
            case DESTROYED -> b.append("{\"t\":\"destroyed\",\"id\":").append(event.id())
                    .append(",\"s\":").append(((ServerMessage.Destroyed) event).serverTime()).append('}');
            case HIDDEN -> b.append("{\"t\":\"hidden\",\"id\":").append(event.id()).append('}');
            case ACK -> {
                ServerMessage.Ack k = (ServerMessage.Ack) event;
                yield b.append("{\"t\":\"ack\",\"id\":").append(k.id()).append(",\"seq\":").append(k.seq())
                        .append(",\"s\":").append(k.serverTime()).append('}');
            }
            case WELCOME, JOINED, LEFT, PONG, ERROR -> throw new IllegalArgumentException(event.messageKind() + " is not a delta event");
        };
    }

    private static StringBuilder appendEntity(StringBuilder b, ServerMessage.Appeared a) {
        b.append("\"id\":").append(a.id()).append(",\"o\":").append(a.owner()).append(",\"k\":").append(a.kind());
        return appendState(b, a.x(), a.y(), a.vx(), a.vy()).append(",\"s\":").append(a.serverTime());
    }

    private static StringBuilder appendState(StringBuilder b, float x, float y, float vx, float vy) {
        b.append(",\"x\":");
        appendNumber(b, x).append(",\"y\":");
        appendNumber(b, y).append(",\"vx\":");
        appendNumber(b, vx).append(",\"vy\":");
        return appendNumber(b, vy);
    }

    private static StringBuilder appendWelcome(StringBuilder b, ServerMessage.Welcome w) {
        b.append("{\"t\":\"welcome\",\"v\":").append(ProtocolConstants.VERSION).append(",\"universe\":");
        appendString(b, w.universe()).append(",\"you\":").append(w.you()).append(",\"name\":");
        appendString(b, w.name()).append(",\"s\":").append(w.serverTime()).append(",\"resume\":");
        appendString(b, w.resumeToken()).append(",\"players\":[");
        for (int i = 0; i < w.players().size(); i++) {
            ServerMessage.PlayerInfo p = w.players().get(i);
            b.append(i == 0 ? "" : ",").append("{\"p\":").append(p.player()).append(",\"name\":");
            appendString(b, p.name()).append('}');
        }
        b.append("],\"entities\":[");
        for (int i = 0; i < w.entities().size(); i++) {
            appendEntity(b.append(i == 0 ? "{" : ",{"), w.entities().get(i)).append('}');
        }
        ServerMessage.LimitsInfo l = w.limits();
        b.append("],\"limits\":{\"rate\":");
        appendNumber(b, l.rate()).append(",\"burst\":").append(l.burst())
                .append(",\"maxEntities\":").append(l.maxEntities()).append(",\"maxSpeed\":");
        appendNumber(b, l.maxSpeed()).append(",\"bounds\":");
        return appendNumber(b, l.bounds()).append("}}");
    }

    /** Integral values print without a fraction ({@code -4}, not {@code -4.0}), as in the contract's examples. */
    static StringBuilder appendNumber(StringBuilder b, float value) {
        if (value == (int) value && Math.abs(value) < (1 << 24)) {
            return b.append((int) value);
        }
        return b.append(value);
    }

    static StringBuilder appendNumber(StringBuilder b, double value) {
        if (value == (long) value && Math.abs(value) < (1L << 53)) {
            return b.append((long) value);
        }
        return b.append(value);
    }

    static StringBuilder appendString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    private static String quote(String s) {
        String shortened = s.length() > 32 ? s.substring(0, 32) + "…" : s;
        return appendString(new StringBuilder(), shortened).toString();
    }
}
