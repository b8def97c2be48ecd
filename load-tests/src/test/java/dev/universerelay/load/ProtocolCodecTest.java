package dev.universerelay.load;

import static dev.universerelay.load.ProtocolCodec.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load tests' codec against the protocol's test vectors (protocol-v1-vectors.json): the
 * copy the server's tests use, else the one in shared/ beside the repository, else -Dvectors.
 */
class ProtocolCodecTest {

  static JsonNode vectors;

  @BeforeAll
  static void load() throws Exception {
    List<Path> candidates = new ArrayList<>();
    if (System.getProperty("vectors") != null) candidates.add(Path.of(System.getProperty("vectors")));
    candidates.add(Path.of("../src/test/resources/protocol-v1-vectors.json"));
    candidates.add(Path.of("../../shared/protocol-v1-vectors.json"));
    Path file = candidates.stream().filter(Files::exists).findFirst().orElse(null);
    Assumptions.assumeTrue(file != null, "no test vectors at any of " + candidates);
    vectors = JSON.readTree(file.toFile());
  }

  static List<JsonNode> valid(String direction) {
    List<JsonNode> out = new ArrayList<>();
    vectors.path("valid").forEach(v -> {
      if (v.path("direction").asText().equals(direction)) out.add(v);
    });
    return out;
  }

  static ClientMessage fromJson(JsonNode j) {
    return switch (j.path("t").asText()) {
      case "spawn" -> new Spawn(j.path("ref").asLong(), j.path("k").asInt(), (float) j.path("x").asDouble(),
          (float) j.path("y").asDouble(), (float) j.path("vx").asDouble(), (float) j.path("vy").asDouble());
      case "move" -> new Move(j.path("id").asLong(), (float) j.path("x").asDouble(), (float) j.path("y").asDouble(),
          (float) j.path("vx").asDouble(), (float) j.path("vy").asDouble());
      case "destroy" -> new Destroy(j.path("id").asLong());
      case "ping" -> new Ping(j.path("c").asDouble());
      default -> throw new IllegalArgumentException(j.toString());
    };
  }

  @Test
  void encodesClientMessagesToTheVectorBytes() {
    List<JsonNode> client = valid("client");
    assertFalse(client.isEmpty());
    for (JsonNode v : client) {
      ClientMessage m = fromJson(v.get("json"));
      assertEquals(v.get("hex").asText(), HexFormat.of().formatHex(binary(m)), v.get("json").toString());
      // the JSON form says the same thing as the vector's JSON
      JsonNode ours = JSON.valueToTree(jsonNode(m));
      v.get("json").fields().forEachRemaining(f ->
          assertEquals(f.getValue().asDouble(), ours.path(f.getKey()).asDouble(), 0.0, f.getKey() + " of " + v.get("json")));
    }
  }

  @Test
  void decodesServerVectorsInBothForms() {
    List<JsonNode> server = valid("server");
    assertFalse(server.isEmpty());
    long fullTime = vectors.path("server_time_example").asLong();
    for (JsonNode v : server) {
      List<ServerMessage> fromBinary = decodeBinary(HexFormat.of().parseHex(v.get("hex").asText()));
      List<ServerMessage> fromJson = decodeText(v.get("json").toString());
      assertEquals(fromJson.size(), fromBinary.size(), v.toString());
      for (int i = 0; i < fromJson.size(); i++) {
        // binary carries s32 = s mod 2^32; make the JSON side comparable
        assertEquals(withS32(fromJson.get(i)), fromBinary.get(i), v.toString());
      }
      assertTrue(fromBinary.stream().allMatch(ProtocolCodec::isDeltaEvent));
    }
    assertNotEquals(fullTime, fullTime & 0xffffffffL, "the vectors exercise the s32 wrap");
  }

  static ServerMessage withS32(ServerMessage m) {
    if (m instanceof Appeared a) return new Appeared(a.id(), a.o(), a.k(), a.x(), a.y(), a.vx(), a.vy(), a.s() & 0xffffffffL, a.ref());
    if (m instanceof Velocity v) return new Velocity(v.id(), v.x(), v.y(), v.vx(), v.vy(), v.s() & 0xffffffffL);
    if (m instanceof Destroyed d) return new Destroyed(d.id(), d.s() & 0xffffffffL);
    return m;
  }

  @Test
  void rejectsBinaryFramesThatDoNotSplitExactly() {
    assertThrows(ProtocolViolation.class, () -> decodeBinary(new byte[0]));
    assertThrows(ProtocolViolation.class, () -> decodeBinary(new byte[] {0x7f}));
    byte[] velocity = HexFormat.of().parseHex("020c0000000000c03f00001040000040c000008040fbe975ac");
    assertThrows(ProtocolViolation.class, () -> decodeBinary(java.util.Arrays.copyOf(velocity, 24)));
    assertThrows(ProtocolViolation.class, () -> decodeBinary(java.util.Arrays.copyOf(velocity, 26)));
  }

  @Test
  void decodesHiddenOfTheInterestExtensionInBothForms() {
    // velocity (25 bytes) then hidden 0x04 u32 id 7, back to back in one frame
    byte[] frame = HexFormat.of().parseHex("020c0000000000c03f00001040000040c000008040fbe975ac" + "0407000000");
    List<ServerMessage> m = decodeBinary(frame);
    assertEquals(2, m.size());
    assertInstanceOf(Velocity.class, m.get(0));
    assertEquals(new Hidden(7), m.get(1));
    assertTrue(isDeltaEvent(m.get(1)));
    assertEquals(List.of(new Hidden(4294967295L)), decodeBinary(HexFormat.of().parseHex("04ffffffff")));
    assertEquals(List.of(new Hidden(7)), decodeText("{\"t\":\"hidden\",\"id\":7}"));
    assertThrows(ProtocolViolation.class, () -> decodeBinary(HexFormat.of().parseHex("04070000")));
    assertThrows(ProtocolViolation.class, () -> decodeBinary(HexFormat.of().parseHex("040700000000")));
  }

  @Test
  void controlMessagesStayJson() {
    List<ServerMessage> m = decodeText("[{\"t\":\"error\",\"code\":\"rate_limited\",\"msg\":\"slow down\"},{\"t\":\"left\",\"p\":3}]");
    assertEquals(2, m.size());
    assertEquals("error", ((Control) m.get(0)).type());
    assertThrows(ProtocolViolation.class, () -> decodeText("{\"no\":\"type\"}"));
    assertThrows(ProtocolViolation.class, () -> decodeText("not json"));
  }

  @Test
  void latencyStampIsExactInFloat32() {
    // x = sendMillis mod 100 000 must survive float32 and stay within bounds (PlayerState)
    for (long t = PlayerState.TIME_MODULUS - 5; t < PlayerState.TIME_MODULUS; t++) {
      assertEquals(t, (long) (float) t);
    }
    PlayerState p = new PlayerState(3, "u", "n", LoadConfig.Mode.BIN);
    Move m = p.move(7);
    assertEquals(3f, m.y());
    assertTrue(m.x() >= 0 && m.x() < PlayerState.TIME_MODULUS && m.x() == Math.rint(m.x()));
    assertEquals(0f, m.vx()); // sequence 0
    assertEquals(1f, p.move(7).vx());
  }
}
