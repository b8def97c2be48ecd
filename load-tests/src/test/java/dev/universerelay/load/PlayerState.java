package dev.universerelay.load;

import static dev.universerelay.load.ProtocolCodec.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one virtual player knows, and the checks it makes on every frame it receives.
 * Lives in the Gatling session under {@link #KEY}; a virtual user's actions and its socket's
 * frames all run on the same event loop, so it needs no locking.
 *
 * <p><b>How event latency is measured.</b> Every {@code move} carries its send time in {@code x}:
 * {@code x = sendMillis mod 100 000}. That is an integer below 2^24, so float32 holds it exactly,
 * and it is within the default bounds (100 000). The receiver knows its receive time (Gatling's
 * frame timestamp, same clock, same machine) and takes
 * {@code latency = (receiveMillis - x) mod 100 000}, which is exact for latencies under 100 s.
 * {@code y} carries the universe index (an event that crossed universes is caught) and
 * {@code vx} a per-ship sequence number modulo 1000 (an event delivered out of order or twice
 * is caught). {@code vy} is 0, so the speed stays under maxSpeed.
 */
public final class PlayerState {

  public static final String KEY = "player";
  /** Moves encode their send time modulo this (see the class comment). */
  static final long TIME_MODULUS = 100_000;
  static final int SEQ_MODULUS = 1000;

  public static final String EVENT_LATENCY = "event latency";
  public static final String SPAWN_LATENCY = "spawn → own appeared";
  public static final String ERROR_RECEIVED = "error received";
  public static final String PROTOCOL_VIOLATION = "protocol violation";

  /** A ship of another player, as this player saw it. */
  static final class Other {
    final long owner;
    final long seenAt;
    long destroyedAt = -1;
    int velocities;
    int lastSeq = -1;

    Other(long owner, long seenAt) {
      this.owner = owner;
      this.seenAt = seenAt;
    }
  }

  final int universeIndex;
  final String universe;
  final String name;
  final LoadConfig.Mode mode;
  /** Error codes this player provokes on purpose (e.g. too_many_entities for a seeder). */
  final List<String> expectedErrors = new ArrayList<>();

  long you = -1;
  long welcomeAt;
  JsonNode welcome;
  int maxEntities = 64;

  /** Own entities by the ref of their spawn; pending spawns by ref with their send time. */
  final Map<Long, Long> ownByRef = new LinkedHashMap<>();
  final Map<Long, Long> pendingSpawns = new HashMap<>();
  long nextRef = 1;
  int moveSeq;

  final Map<Long, Other> others = new HashMap<>();
  final List<String> errorCodes = new ArrayList<>();
  long events;
  long frames;

  public PlayerState(int universeIndex, String universe, String name, LoadConfig.Mode mode) {
    this.universeIndex = universeIndex;
    this.universe = universe;
    this.name = name;
    this.mode = mode;
  }

  public static PlayerState of(Session session) {
    return session.get(KEY);
  }

  // ------------------------------------------------------------------ welcome

  /**
   * The first text frame, whose first message the connect check found to be the welcome. Any
   * messages after it in the same frame (an array) get the usual checks.
   */
  public Session onWelcomeFrame(Session session, String frame, long receivedAt) {
    List<ServerMessage> messages = decodeText(frame);
    onWelcome(((Control) messages.get(0)).body(), receivedAt);
    if (welcome.path("v").asInt() != 1) violation(session, receivedAt, "welcome v is not 1: " + welcome.path("v"));
    if (!universe.equals(welcome.path("universe").asText())) {
      violation(session, receivedAt, "welcome for universe " + welcome.path("universe") + ", joined " + universe);
    }
    if (you < 0) violation(session, receivedAt, "welcome without a player number");
    for (ServerMessage m : messages.subList(1, messages.size())) handle(session, m, receivedAt);
    return session;
  }

  /** The welcome's content: who we are, the limits, and the others' entities. */
  public void onWelcome(JsonNode welcome, long receivedAt) {
    this.welcome = welcome;
    welcomeAt = receivedAt;
    you = welcome.path("you").asLong(-1);
    maxEntities = welcome.path("limits").path("maxEntities").asInt(64);
    for (JsonNode e : welcome.path("entities")) {
      long owner = e.path("o").asLong();
      if (owner != you) others.put(e.path("id").asLong(), new Other(owner, receivedAt));
    }
  }

  // ------------------------------------------------------------------ sending

  public Spawn spawn(float x, float y) {
    long ref = nextRef++;
    pendingSpawns.put(ref, RelayStats.now());
    return new Spawn(ref, 1, x, y, 0, 0);
  }

  /** A move of {@code id} stamped with the send time, universe and sequence (class comment). */
  public Move move(long id) {
    long now = RelayStats.now();
    int seq = moveSeq++ % SEQ_MODULUS;
    return new Move(id, (float) (now % TIME_MODULUS), universeIndex, seq, 0);
  }

  public long ownShip() {
    return ownByRef.isEmpty() ? -1 : ownByRef.values().iterator().next();
  }

  // ------------------------------------------------------------------ receiving

  /** Gatling's processUnmatchedMessages callback: every frame since the last call, in order. */
  public Session consume(List<WsInboundMessage> messages, Session session) {
    for (WsInboundMessage m : messages) {
      frames++;
      try {
        if (m instanceof WsInboundMessage.Binary b) {
          if (mode == LoadConfig.Mode.JSON) violation(session, m.timestamp(), "binary frame on relay.v1.json");
          for (ServerMessage sm : decodeBinary(b.message())) handle(session, sm, m.timestamp());
        } else if (m instanceof WsInboundMessage.Text t) {
          for (ServerMessage sm : decodeText(t.message())) {
            if (mode == LoadConfig.Mode.BIN && isDeltaEvent(sm)) {
              violation(session, m.timestamp(), "delta event in a text frame on relay.v1.bin");
            }
            handle(session, sm, m.timestamp());
          }
        }
      } catch (ProtocolViolation e) {
        violation(session, m.timestamp(), e.getMessage());
      }
    }
    return session;
  }

  private void handle(Session session, ServerMessage m, long at) {
    if (m instanceof Appeared a) {
      events++;
      if (a.o() == you) {
        Long sentAt = pendingSpawns.remove(a.ref());
        if (sentAt == null) {
          violation(session, at, "own appeared with unknown ref " + a.ref());
        } else {
          ownByRef.put(a.ref(), a.id());
          RelayStats.ok(session, SPAWN_LATENCY, sentAt, at);
        }
      } else {
        others.put(a.id(), new Other(a.o(), at));
      }
    } else if (m instanceof Velocity v) {
      events++;
      onVelocity(session, v, at);
    } else if (m instanceof Destroyed d) {
      events++;
      Other o = others.get(d.id());
      if (o != null) o.destroyedAt = at;
    } else if (m instanceof Hidden h) {
      // interest management: the entity left this player's view; it is announced again by an
      // appeared if it comes back, and a velocity before that would be a violation
      events++;
      if (others.remove(h.id()) == null) violation(session, at, "hidden for entity " + h.id() + " it was not shown");
    } else if (m instanceof Control c) {
      switch (c.type()) {
        case "error" -> onError(session, c.body(), at);
        case "welcome" -> violation(session, at, "second welcome on one connection");
        default -> { } // joined, left, pong and additive extensions need no check here
      }
    }
  }

  private void onVelocity(Session session, Velocity v, long at) {
    if (ownByRef.containsValue(v.id())) {
      violation(session, at, "velocity of own entity " + v.id() + " sent back to its owner");
      return;
    }
    Other o = others.get(v.id());
    if (o == null) {
      violation(session, at, "velocity for entity " + v.id() + " never announced (no appeared, not in welcome)");
      return;
    }
    if ((int) v.y() != universeIndex) {
      violation(session, at, "velocity from universe #" + (int) v.y() + " arrived in #" + universeIndex);
      return;
    }
    int seq = (int) v.vx();
    if (o.lastSeq >= 0) {
      int step = Math.floorMod(seq - o.lastSeq, SEQ_MODULUS);
      if (step == 0 || step > SEQ_MODULUS / 2) {
        violation(session, at, "velocity of entity " + v.id() + " out of order: seq " + seq + " after " + o.lastSeq);
      }
    }
    o.lastSeq = seq;
    o.velocities++;
    long latency = Math.floorMod(at - (long) v.x(), TIME_MODULUS);
    RelayStats.ok(session, EVENT_LATENCY, at - latency, at);
  }

  private void onError(Session session, JsonNode body, long at) {
    String code = body.path("code").asText("?");
    errorCodes.add(code);
    if (!expectedErrors.contains(code)) {
      RelayStats.ko(session, ERROR_RECEIVED, at, at, code + ": " + body.path("msg").asText(""));
    }
  }

  private void violation(Session session, long at, String what) {
    RelayStats.ko(session, PROTOCOL_VIOLATION, at, at, what);
  }

  // ------------------------------------------------------------------ verdicts

  /**
   * Every other player of the universe was seen, and every other ship that lived at least
   * {@code minOverlapMillis} while this player listened got at least one velocity to it.
   */
  public String missingVelocities(int expectedOtherPlayers, long minOverlapMillis, long now) {
    long owners = others.values().stream().mapToLong(o -> o.owner).distinct().count();
    if (owners < expectedOtherPlayers) {
      return "saw ships of " + owners + " other players, expected " + expectedOtherPlayers;
    }
    List<Long> silent = new ArrayList<>();
    others.forEach((id, o) -> {
      long alive = (o.destroyedAt < 0 ? now : o.destroyedAt) - o.seenAt;
      if (o.velocities == 0 && alive >= minOverlapMillis) silent.add(id);
    });
    return silent.isEmpty() ? null : "no velocity received for ships " + silent;
  }
}
