package dev.universerelay.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import dev.universerelay.load.ProtocolCodec.ClientMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The steps every simulation is made of: guest login, WebSocket handshake + welcome, sending
 * actions, reading events, spawning a ship.
 *
 * <p><b>Reading events.</b> Frames that no check is waiting for go to Gatling's
 * "unmatched inbound messages" buffer, which {@link #readEvents()} hands to
 * {@link PlayerState#consume}. Gatling clears that buffer whenever the virtual user sends a frame,
 * so {@link #send} always reads it first; both run back to back on the virtual user's event
 * loop, so no frame can slip in between. The only check armed on a socket is the one for
 * {@code welcome}, and it ends before any other frame can be expected.
 */
public final class RelayChains {

  private static final String WS_NAME = "relay";
  private static final Duration POLL = Duration.ofMillis(20);

  private RelayChains() {}

  public static HttpProtocolBuilder protocol() {
    return http.baseUrl(LoadConfig.BASE_URL)
        .wsBaseUrl(LoadConfig.WS_BASE_URL)
        .acceptHeader("application/json")
        .contentTypeHeader("application/json")
        // Room for every frame between two reads; players read at least every 1/moveRate s.
        .wsUnmatchedInboundMessageBufferSize(100_000)
        .shareConnections();
  }

  /** Universe names of one run: "{prefix}-{runTag}-{index}". */
  public static String universeName(String prefix, int index) {
    return prefix + "-" + LoadConfig.RUN_TAG + "-" + index;
  }

  /**
   * Gives the virtual user its PlayerState, spreading users round-robin over the universes
   * "{prefix}-{runTag}-{i}". Its name "{role}-{runTag}-{n}" is unique in the run (guest tokens
   * get a fresh identity anyway, but names make the relay's logs readable).
   */
  public static ChainBuilder join(String prefix, String role, int universes, AtomicInteger counter) {
    return exec(RelayStats.capture()).exec(session -> {
      int n = counter.getAndIncrement();
      int u = n % universes;
      String name = role + "-" + LoadConfig.RUN_TAG + "-" + n;
      return session.set(PlayerState.KEY, new PlayerState(u, universeName(prefix, u), name, LoadConfig.modeFor(n)));
    });
  }

  /** POST /api/login as a guest; the token goes to the session. */
  public static ChainBuilder login() {
    return exec(http("login").post("/api/login")
        .body(StringBody(s -> "{\"name\":\"" + PlayerState.of(s).name + "\"}"))
        .check(status().is(200),
            jsonPath("$.token_type").is("Bearer"),
            jsonPath("$.access_token").saveAs("token")))
        .exitHereIfFailed();
  }

  /**
   * Handshake with the mode's subprotocol, then the first frame must be the welcome ("connect"
   * in the report is the handshake, "welcome" the wait for it after the upgrade).
   */
  public static ChainBuilder connect() {
    return exec(ws("connect").wsName(WS_NAME)
        .connect(s -> "/ws/universes/" + PlayerState.of(s).universe
            + "?access_token=" + URLEncoder.encode(s.getString("token"), StandardCharsets.UTF_8))
        .subprotocol(s -> PlayerState.of(s).mode.subprotocol)
        .await(LoadConfig.ANSWER_TIMEOUT).on(
            // a text frame may be an array of messages: the first message must be the welcome
            ws.checkTextMessage("welcome").check(
                bodyString().transform(ProtocolCodec::firstType).is("welcome"),
                bodyString().saveAs("welcome"))))
        .exitHereIfFailed()
        .exec(s -> {
          PlayerState.of(s).onWelcomeFrame(s, s.getString("welcome"), RelayStats.now());
          return s.remove("welcome");
        });
  }

  /** Hands every frame received since the last call to the player's checks. */
  public static ChainBuilder readEvents() {
    return exec(ws.processUnmatchedMessages(WS_NAME, (messages, s) -> PlayerState.of(s).consume(messages, s)));
  }

  /** Sends the messages as one frame in the player's mode (binary back to back, or a JSON array). */
  public static ChainBuilder send(String requestName, Function<Session, List<? extends ClientMessage>> messages) {
    return readEvents()
        .doIfOrElse(s -> PlayerState.of(s).mode == LoadConfig.Mode.BIN)
        .then(exec(ws(requestName).wsName(WS_NAME).sendBytes(s -> ProtocolCodec.binary(messages.apply(s)))))
        .orElse(exec(ws(requestName).wsName(WS_NAME).sendText(s -> ProtocolCodec.json(messages.apply(s)))));
  }

  /** Reads events every 20 ms until {@code done} holds or the answer timeout passes. */
  public static ChainBuilder readUntil(String deadlineKey, Predicate<Session> done) {
    return exec(s -> s.set(deadlineKey, RelayStats.now() + LoadConfig.ANSWER_TIMEOUT.toMillis()))
        .asLongAs(s -> !done.test(s) && RelayStats.now() < s.getLong(deadlineKey))
        .on(pause(POLL), readEvents());
  }

  /** Reads events for a while without sending (so the last events in flight arrive). */
  public static ChainBuilder readFor(Duration duration) {
    return during(duration).on(pause(POLL), readEvents());
  }

  /** Spawns one ship and learns its id from the ref echoed in its own appeared. */
  public static ChainBuilder spawnShip() {
    return send("spawn", s -> {
          PlayerState p = PlayerState.of(s);
          return List.of(p.spawn((float) (RelayStats.now() % PlayerState.TIME_MODULUS), p.universeIndex));
        })
        .exec(readUntil("spawnDeadline", s -> PlayerState.of(s).ownShip() >= 0))
        .exec(s -> {
          boolean ok = PlayerState.of(s).ownShip() >= 0;
          if (!ok) RelayStats.verdict(s, "own appeared", false, "no appeared with our ref");
          return ok ? s : s.markAsFailed();
        })
        .exitHereIfFailed();
  }

  /** {@code move} of the own ship at moveRate per second for the configured duration. */
  public static ChainBuilder moveLoop() {
    Duration pace = Duration.ofNanos((long) (1e9 / LoadConfig.MOVE_RATE));
    return during(LoadConfig.DURATION).on(
        pace(pace),
        send("move", s -> {
          PlayerState p = PlayerState.of(s);
          return List.of(p.move(p.ownShip()));
        }));
  }

  /** Verdict "others' velocity seen": see {@link PlayerState#missingVelocities}. */
  public static ChainBuilder checkOthersSeen(int expectedOtherPlayers) {
    // A ship that lived a second plus two move periods must have sent us at least one move.
    long minOverlap = 1000 + (long) (2000 / LoadConfig.MOVE_RATE);
    return exec(s -> {
      long now = RelayStats.now();
      String missing = PlayerState.of(s).missingVelocities(expectedOtherPlayers, minOverlap, now);
      RelayStats.verdict(s, "others' velocity seen", missing == null, missing);
      return s;
    });
  }

  /** Close with 1000: the player leaves for good (section 11), its ships are destroyed. */
  public static ChainBuilder close() {
    return readEvents().exec(ws("close").wsName(WS_NAME).close());
  }
}
