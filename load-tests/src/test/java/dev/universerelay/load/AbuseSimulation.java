package dev.universerelay.load;

import static dev.universerelay.load.LoadConfig.*;
import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Normal players play (as in UniverseFanoutSimulation) while abusers join their universes:
 * <ul>
 *   <li>flooders send far more moves than the rate allows: they must get {@code rate_limited}
 *       errors (and no other kind) and then be closed with 1008;
 *   <li>malformers send frames that cannot be decoded: each first gets {@code bad_message},
 *       and when it persists the relay closes it with 1008;
 *   <li>oversizers send one frame over 1024 bytes: closed with 1009.
 * </ul>
 * Each abuser ends in one verdict request (OK when the relay did all of that). Normal players
 * must see no error at all, keep receiving each other's moves, and keep the latency bounds.
 * Abusers run on the JDK WebSocket client: see AbuserClient for why.
 */
public class AbuseSimulation extends Simulation {

  static final String PREFIX = "abuse";
  static final String FLOOD = "abuse: flood → rate_limited, 1008";
  static final String MALFORMED = "abuse: malformed → bad_message, 1008";
  static final String OVERSIZED = "abuse: oversized frame → 1009";
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(12); // > the 10 s abuse window
  static final int MAX_FRAMES = 400; // every flood and garbage loop is bounded

  // ------------------------------------------------------------------ behaviours

  /** Spawn a ship, then moves of it, as many per frame as fit in 1 KiB, every 20 ms. */
  static CompletableFuture<String> flood(AbuserClient c) {
    PlayerState p = c.state;
    return c.send(List.of(p.spawn(0, p.universeIndex)))
        .thenCompose(ws -> c.ownShip.orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .thenCompose(ship -> repeatUntilClosed(c, 0, () -> {
          int perFrame = c.mode == Mode.BIN ? 1000 / ProtocolCodec.MOVE_SIZE : 10; // ~80 bytes per JSON move
          List<ProtocolCodec.Move> moves = new ArrayList<>();
          for (int i = 0; i < perFrame; i++) moves.add(p.move(ship));
          return c.send(moves);
        }))
        .thenCompose(v -> c.closeCode(CLOSE_TIMEOUT))
        .thenApply(code -> problem(c, code, 1008, Set.of("rate_limited"), "rate_limited"));
  }

  /** One undecodable frame (must earn bad_message), then more until the relay closes. */
  static CompletableFuture<String> malformed(AbuserClient c) {
    AtomicInteger n = new AtomicInteger();
    return garbage(c, n.getAndIncrement())
        .thenCompose(ws -> c.firstError.orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .thenCompose(first -> repeatUntilClosed(c, 0, () -> garbage(c, n.getAndIncrement())))
        .thenCompose(v -> c.closeCode(CLOSE_TIMEOUT))
        // undecodable frames should not cost tokens, but a relay that counts them is not wrong
        .thenApply(code -> problem(c, code, 1008, Set.of("bad_message", "rate_limited"), "bad_message"));
  }

  /** Frames the relay cannot decode, alternating between two kinds per mode. */
  static CompletableFuture<?> garbage(AbuserClient c, int i) {
    if (c.mode == Mode.BIN) {
      return c.sendRaw(i % 2 == 0
          ? new byte[] {0x7f}                      // unknown first byte
          : new byte[ProtocolCodec.MOVE_SIZE - 1]); // move one byte short (first byte 0: unknown too)
    }
    return c.sendRaw(i % 2 == 0 ? "{\"t\":\"move\",\"id\":" : "[1,2"); // not JSON
  }

  /** One frame of 2000 bytes (the limit is 1024): the relay must close with 1009. */
  static CompletableFuture<String> oversized(AbuserClient c) {
    CompletableFuture<?> sent;
    if (c.mode == Mode.BIN) {
      List<ProtocolCodec.Move> moves = Collections.nCopies(2000 / ProtocolCodec.MOVE_SIZE, new ProtocolCodec.Move(1, 0, 0, 0, 0));
      sent = c.sendRaw(ProtocolCodec.binary(moves));
    } else {
      String pad = "x".repeat(2000);
      sent = c.sendRaw("{\"t\":\"ping\",\"c\":1,\"pad\":\"" + pad + "\"}");
    }
    return sent.thenCompose(ws -> c.closeCode(CLOSE_TIMEOUT))
        .thenApply(code -> problem(c, code, 1009, Set.of(), null));
  }

  /** Sends a frame every 20 ms until the relay closes the socket or MAX_FRAMES were sent. */
  static CompletableFuture<Void> repeatUntilClosed(AbuserClient c, int sent,
      Supplier<CompletableFuture<?>> frame) {
    if (c.closed.isDone() || sent >= MAX_FRAMES) return CompletableFuture.completedFuture(null);
    return frame.get()
        .handle((ok, err) -> null) // a send after the close fails: that is the expected end
        .thenCompose(x -> AbuserClient.after(Duration.ofMillis(20)))
        .thenCompose(x -> repeatUntilClosed(c, sent + 1, frame));
  }

  static String problem(AbuserClient c, int code, int expectedCode, Set<String> allowed, String required) {
    List<String> out = new ArrayList<>(c.problems);
    if (code == -2) out.add("not closed within " + CLOSE_TIMEOUT.toSeconds() + " s, expected " + expectedCode);
    else if (code == -1) out.add("connection dropped without a close frame, expected " + expectedCode);
    else if (code != expectedCode) out.add("closed with " + code + ", expected " + expectedCode);
    if (required != null && !c.errorCodes.contains(required)) out.add("never got " + required);
    List<String> unexpected = c.errorCodes.stream().filter(e -> !allowed.contains(e)).distinct().toList();
    if (!unexpected.isEmpty()) out.add("unexpected error codes " + unexpected);
    return out.isEmpty() ? null : String.join("; ", out);
  }

  // ------------------------------------------------------------------ scenarios

  /** One kind of abuser: its scenario, its verdict request, how many per universe, what it does. */
  record Kind(String scenario, String verdict, int perUniverse, Function<AbuserClient, CompletableFuture<String>> behaviour) {}

  static ScenarioBuilder abusers(String name, String verdict, AtomicInteger counter,
      Function<AbuserClient, CompletableFuture<String>> behaviour) {
    return scenario(name).exec(
        RelayChains.join(PREFIX, name, UNIVERSES, counter),
        RelayChains.login(),
        exec(s -> {
          PlayerState p = PlayerState.of(s);
          CompletableFuture<String> result = AbuserClient.connect(p, s.getString("token"))
              .thenCompose(c -> c.welcomed.orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .thenCompose(w -> behaviour.apply(c)))
              .exceptionally(e -> "failed: " + e)
              // every step has its own timeout; this one only guarantees the poll below ends
              .completeOnTimeout("no result within 60 s", 60, TimeUnit.SECONDS);
          return s.set("abuse", result);
        }),
        asLongAs(s -> !s.<CompletableFuture<String>>get("abuse").isDone()).on(pause(Duration.ofMillis(50))),
        exec(s -> {
          String problem = s.<CompletableFuture<String>>get("abuse").join();
          RelayStats.verdict(s, verdict, problem == null, problem);
          return s;
        }));
  }

  {
    System.out.println(describe(getClass().getSimpleName())
        + " flooders=" + FLOODERS + " malformers=" + MALFORMERS + " oversizers=" + OVERSIZERS + " (per universe)");

    // Players and abusers share the universes: one counter each, both round-robin from 0.
    int players = UNIVERSES * PLAYERS_PER_UNIVERSE;
    Duration abusersStart = RAMP.plusSeconds(1); // once the players are moving
    List<PopulationBuilder> population = new ArrayList<>();
    List<Assertion> assertions = new ArrayList<>(List.of(
        global().failedRequests().count().is(0L),
        details("others' velocity seen").successfulRequests().count().is((long) players),
        details(PlayerState.EVENT_LATENCY).responseTime().percentile(50.0).lt(LATENCY_P50_MS),
        details(PlayerState.EVENT_LATENCY).responseTime().percentile(95.0).lt(LATENCY_P95_MS),
        details(PlayerState.EVENT_LATENCY).responseTime().percentile(99.0).lt(LATENCY_P99_MS)));
    population.add(UniverseFanoutSimulation.players("players", PREFIX, new AtomicInteger())
        .injectOpen(rampUsers(players).during(RAMP)));

    for (Kind k : List.of(
        new Kind("flooders", FLOOD, FLOODERS, AbuseSimulation::flood),
        new Kind("malformers", MALFORMED, MALFORMERS, AbuseSimulation::malformed),
        new Kind("oversizers", OVERSIZED, OVERSIZERS, AbuseSimulation::oversized))) {
      int count = UNIVERSES * k.perUniverse();
      if (count == 0) continue; // an assertion on a request that never ran would fail
      population.add(abusers(k.scenario(), k.verdict(), new AtomicInteger(), k.behaviour())
          .injectOpen(nothingFor(abusersStart), rampUsers(count).during(Duration.ofSeconds(1))));
      assertions.add(details(k.verdict()).successfulRequests().count().is((long) count));
    }

    setUp(population).protocols(RelayChains.protocol()).assertions(assertions);
  }
}
