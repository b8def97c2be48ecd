package dev.universerelay.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Protocol v1 (see shared/protocol-v1.md) as the load tests speak it: client actions encoded
 * as binary (little-endian, several messages back to back in one frame) or JSON (one object,
 * or an array for several), and server frames decoded into {@link ServerMessage}s.
 * Pure functions, checked against protocol-v1-vectors.json by ProtocolCodecTest.
 */
public final class ProtocolCodec {

  static final ObjectMapper JSON = new ObjectMapper();

  // client → server type bytes and sizes (section 4)
  static final byte SPAWN = 0x11, MOVE = 0x12, DESTROY = 0x13, PING = 0x14;
  static final int SPAWN_SIZE = 23, MOVE_SIZE = 21, DESTROY_SIZE = 5, PING_SIZE = 9;
  // server → client (section 5), and hidden from the interest management extension (docs/protocol.md section 13)
  static final byte APPEARED = 0x01, VELOCITY = 0x02, DESTROYED = 0x03, HIDDEN = 0x04;
  static final int APPEARED_SIZE = 35, VELOCITY_SIZE = 25, DESTROYED_SIZE = 9, HIDDEN_SIZE = 5;

  private ProtocolCodec() {}

  // ------------------------------------------------------------------ client messages

  /** What a client sends. Numbers are widened; the binary form narrows them as the wire says. */
  public sealed interface ClientMessage {}

  public record Spawn(long ref, int k, float x, float y, float vx, float vy) implements ClientMessage {}

  public record Move(long id, float x, float y, float vx, float vy) implements ClientMessage {}

  public record Destroy(long id) implements ClientMessage {}

  public record Ping(double c) implements ClientMessage {}

  /** Binary frame holding the messages back to back. */
  public static byte[] binary(List<? extends ClientMessage> messages) {
    int size = 0;
    for (ClientMessage m : messages) size += binarySize(m);
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (ClientMessage m : messages) {
      if (m instanceof Spawn s) {
        b.put(SPAWN).putInt((int) s.ref()).putShort((short) s.k())
            .putFloat(s.x()).putFloat(s.y()).putFloat(s.vx()).putFloat(s.vy());
      } else if (m instanceof Move mv) {
        b.put(MOVE).putInt((int) mv.id()).putFloat(mv.x()).putFloat(mv.y()).putFloat(mv.vx()).putFloat(mv.vy());
      } else if (m instanceof Destroy d) {
        b.put(DESTROY).putInt((int) d.id());
      } else if (m instanceof Ping p) {
        b.put(PING).putDouble(p.c());
      }
    }
    return b.array();
  }

  public static byte[] binary(ClientMessage message) {
    return binary(List.of(message));
  }

  public static int binarySize(ClientMessage m) {
    if (m instanceof Spawn) return SPAWN_SIZE;
    if (m instanceof Move) return MOVE_SIZE;
    if (m instanceof Destroy) return DESTROY_SIZE;
    return PING_SIZE;
  }

  /** JSON text frame: one object, or an array when there are several messages. */
  public static String json(List<? extends ClientMessage> messages) {
    if (messages.size() == 1) return jsonNode(messages.get(0)).toString();
    ArrayNode array = JSON.createArrayNode();
    messages.forEach(m -> array.add(jsonNode(m)));
    return array.toString();
  }

  public static String json(ClientMessage message) {
    return json(List.of(message));
  }

  static ObjectNode jsonNode(ClientMessage m) {
    ObjectNode n = JSON.createObjectNode();
    if (m instanceof Spawn s) {
      n.put("t", "spawn").put("ref", s.ref()).put("k", s.k())
          .put("x", s.x()).put("y", s.y()).put("vx", s.vx()).put("vy", s.vy());
    } else if (m instanceof Move mv) {
      n.put("t", "move").put("id", mv.id()).put("x", mv.x()).put("y", mv.y()).put("vx", mv.vx()).put("vy", mv.vy());
    } else if (m instanceof Destroy d) {
      n.put("t", "destroy").put("id", d.id());
    } else if (m instanceof Ping p) {
      n.put("t", "ping").put("c", p.c());
    }
    return n;
  }

  // ------------------------------------------------------------------ server messages

  /** What the server sends: the delta events (v1's three and the extension's hidden), or a JSON control message. */
  public sealed interface ServerMessage {}

  /** {@code s} is the full server time in JSON, the 32-bit wrapped one (s32) in binary. */
  public record Appeared(long id, long o, int k, float x, float y, float vx, float vy, long s, long ref)
      implements ServerMessage {}

  public record Velocity(long id, float x, float y, float vx, float vy, long s) implements ServerMessage {}

  public record Destroyed(long id, long s) implements ServerMessage {}

  /**
   * The entity left the player's view (interest management, docs/protocol.md section 13): forget
   * it until it appears again. Only universes with interest management send it, and only to
   * players that sent a view; it carries no server time.
   */
  public record Hidden(long id) implements ServerMessage {}

  /** welcome, joined, left, pong, error (and any additive extension), kept as parsed JSON. */
  public record Control(String type, JsonNode body) implements ServerMessage {}

  /** The frame breaks the protocol: the relay must never send it. */
  public static final class ProtocolViolation extends RuntimeException {
    public ProtocolViolation(String message) {
      super(message);
    }
  }

  /** Splits a binary frame into its messages; the frame must split exactly. */
  public static List<ServerMessage> decodeBinary(byte[] frame) {
    if (frame.length == 0) throw new ProtocolViolation("empty binary frame");
    ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
    List<ServerMessage> out = new ArrayList<>(frame.length / VELOCITY_SIZE + 1);
    while (b.hasRemaining()) {
      int start = b.position();
      byte type = b.get();
      int size = switch (type) {
        case APPEARED -> APPEARED_SIZE;
        case VELOCITY -> VELOCITY_SIZE;
        case DESTROYED -> DESTROYED_SIZE;
        case HIDDEN -> HIDDEN_SIZE;
        default -> throw new ProtocolViolation("unknown binary type 0x" + Integer.toHexString(type & 0xff) + " at " + start);
      };
      if (start + size > frame.length) {
        throw new ProtocolViolation("binary message 0x0" + type + " truncated at " + start + " of " + frame.length);
      }
      switch (type) {
        case APPEARED -> out.add(new Appeared(u32(b), u32(b), b.getShort() & 0xffff,
            b.getFloat(), b.getFloat(), b.getFloat(), b.getFloat(), u32(b), u32(b)));
        case VELOCITY -> out.add(new Velocity(u32(b), b.getFloat(), b.getFloat(), b.getFloat(), b.getFloat(), u32(b)));
        case DESTROYED -> out.add(new Destroyed(u32(b), u32(b)));
        default -> out.add(new Hidden(u32(b)));
      }
    }
    return out;
  }

  /** A text frame: one message object, or an array of them. */
  public static List<ServerMessage> decodeText(String frame) {
    JsonNode root;
    try {
      root = JSON.readTree(frame);
    } catch (IOException e) {
      throw new ProtocolViolation("text frame is not JSON: " + abbreviate(frame));
    }
    List<ServerMessage> out = new ArrayList<>();
    if (root != null && root.isArray()) {
      root.forEach(n -> out.add(decodeJson(n)));
    } else {
      out.add(decodeJson(root));
    }
    return out;
  }

  static ServerMessage decodeJson(JsonNode n) {
    if (n == null || !n.isObject() || !n.path("t").isTextual()) {
      throw new ProtocolViolation("JSON message without a type: " + abbreviate(String.valueOf(n)));
    }
    String t = n.get("t").asText();
    return switch (t) {
      case "appeared" -> new Appeared(n.path("id").asLong(), n.path("o").asLong(), n.path("k").asInt(),
          f(n, "x"), f(n, "y"), f(n, "vx"), f(n, "vy"), n.path("s").asLong(), n.path("ref").asLong(0));
      case "velocity" -> new Velocity(n.path("id").asLong(), f(n, "x"), f(n, "y"), f(n, "vx"), f(n, "vy"),
          n.path("s").asLong());
      case "destroyed" -> new Destroyed(n.path("id").asLong(), n.path("s").asLong());
      case "hidden" -> new Hidden(n.path("id").asLong());
      default -> new Control(t, n);
    };
  }

  /** The type of the first message of a text frame, or "" when it has none. */
  public static String firstType(String frame) {
    try {
      List<ServerMessage> messages = decodeText(frame);
      return messages.get(0) instanceof Control c ? c.type() : messages.get(0).getClass().getSimpleName();
    } catch (ProtocolViolation | IndexOutOfBoundsException e) {
      return "";
    }
  }

  /** True for the messages that section 3 says travel in binary on relay.v1.bin. */
  public static boolean isDeltaEvent(ServerMessage m) {
    return !(m instanceof Control);
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static float f(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) throw new ProtocolViolation("field " + field + " is not a number in " + abbreviate(n.toString()));
    return (float) v.asDouble();
  }

  private static long u32(ByteBuffer b) {
    return b.getInt() & 0xffffffffL;
  }

  static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "…";
  }
}
