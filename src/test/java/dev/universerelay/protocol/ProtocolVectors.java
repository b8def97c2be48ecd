package dev.universerelay.protocol;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The shared contract vectors ({@code /work/shared/protocol-v1-vectors.json}), read from
 * {@code ../shared} next to the project when present, else from the test classpath copy.
 * Values come back as plain maps and lists, exactly as the file has them.
 */
public final class ProtocolVectors {
    public static final Path SHARED = Paths.get("..", "shared", "protocol-v1-vectors.json");
    public static final String CLASSPATH = "/protocol-v1-vectors.json";
    public static final JsonMapper MAPPER = JsonMapper.createDefault();

    private static Map<String, Object> root;

    private ProtocolVectors() {
    }

    /** The whole vector file. */
    public static synchronized Map<String, Object> root() {
        if (root == null) {
            root = parseObject(load());
        }
        return root;
    }

    private static byte[] load() {
        try {
            if (Files.isRegularFile(SHARED)) {
                return Files.readAllBytes(SHARED);
            }
            try (InputStream in = ProtocolVectors.class.getResourceAsStream(CLASSPATH)) {
                if (in == null) {
                    throw new IllegalStateException("protocol vectors found neither at " + SHARED.toAbsolutePath()
                            + " nor on the classpath at " + CLASSPATH);
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(byte[] json) {
        Object value = parse(json);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("not a JSON object: " + value);
        }
        return (Map<String, Object>) value;
    }

    public static Object parse(byte[] json) {
        try {
            return MAPPER.readValue(json, Argument.OBJECT_ARGUMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long serverTimeExample() {
        return ((Number) root().get("server_time_example")).longValue();
    }

    /** The {@code valid} vectors of one direction ({@code client} or {@code server}). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> valid(String direction) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object o : (List<Object>) root().get("valid")) {
            Map<String, Object> vector = (Map<String, Object>) o;
            if (direction.equals(vector.get("direction"))) {
                result.add(vector);
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> invalidClientFrames() {
        return (List<Map<String, Object>>) (List<?>) root().get("invalid_client_frames");
    }

    public static byte[] bytes(Map<String, Object> vector) {
        return HexFormat.of().parseHex((String) vector.get("hex"));
    }

    public static ByteBuffer buffer(Map<String, Object> vector) {
        return ByteBuffer.wrap(bytes(vector));
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The JSON form of a vector written back as text, as a client would send it. */
    public static String jsonText(Map<String, Object> vector) {
        try {
            return new String(MAPPER.writeValueAsBytes(vector.get("json")), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long integer(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException("field " + field + " is not a number in " + json);
        }
        return ((Number) value).longValue();
    }

    public static double decimal(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException("field " + field + " is not a number in " + json);
        }
        return ((Number) value).doubleValue();
    }

    /** The client message a vector's JSON form describes. */
    public static ClientMessage clientMessage(Map<String, Object> json) {
        String t = (String) json.get("t");
        if ("spawn".equals(t)) {
            return new ClientMessage.Spawn(integer(json, "ref"), (int) integer(json, "k"), f(json, "x"), f(json, "y"),
                    f(json, "vx"), f(json, "vy"));
        } else if ("move".equals(t)) {
            return new ClientMessage.Move(integer(json, "id"), f(json, "x"), f(json, "y"), f(json, "vx"), f(json, "vy"));
        } else if ("destroy".equals(t)) {
            return new ClientMessage.Destroy(integer(json, "id"));
        } else if ("ping".equals(t)) {
            return new ClientMessage.Ping(decimal(json, "c"));
        }
        throw new IllegalArgumentException("not a client message: " + json);
    }

    /** The delta event a server vector's JSON form describes, with its full server time. */
    public static ServerMessage.DeltaEvent serverEvent(Map<String, Object> json) {
        String t = (String) json.get("t");
        if ("appeared".equals(t)) {
            return new ServerMessage.Appeared(integer(json, "id"), integer(json, "o"), (int) integer(json, "k"),
                    f(json, "x"), f(json, "y"), f(json, "vx"), f(json, "vy"), integer(json, "s"), integer(json, "ref"));
        } else if ("velocity".equals(t)) {
            return new ServerMessage.Velocity(integer(json, "id"), f(json, "x"), f(json, "y"), f(json, "vx"),
                    f(json, "vy"), integer(json, "s"));
        } else if ("destroyed".equals(t)) {
            return new ServerMessage.Destroyed(integer(json, "id"), integer(json, "s"));
        }
        throw new IllegalArgumentException("not a server event: " + json);
    }

    private static float f(Map<String, Object> json, String field) {
        return (float) decimal(json, field);
    }

    /** The message objects of a vector: its {@code json}, or each element when it is an array (a batched frame). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> jsonObjects(Map<String, Object> vector) {
        Object json = vector.get("json");
        if (json instanceof List) {
            return (List<Map<String, Object>>) json;
        }
        return List.of((Map<String, Object>) json);
    }
}
