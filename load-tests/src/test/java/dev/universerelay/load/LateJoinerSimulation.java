package dev.universerelay.load;

import static dev.universerelay.load.LoadConfig.*;
import static io.gatling.javaapi.core.CoreDsl.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * In each universe, seedersPerUniverse seeders fill the universe: each spawns maxEntities
 * ships (the number the welcome announces) plus one, which must be refused with
 * too_many_entities. Ship number r gets x = r, so a snapshot can be checked ship by ship.
 * When every seeder of the universe is done, lateJoinersPerUniverse new players join; each
 * welcome must hold the complete state: exactly maxEntities ships of every seeder, with
 * x = 1..maxEntities, and every seeder among the players. "welcome" in the report is the
 * time from upgrade to the snapshot. Seeders stay until every late joiner has finished.
 */
public class LateJoinerSimulation extends Simulation {

  static final String PREFIX = "late";
  static final int SPAWNS_PER_FRAME = 10; // 230 bytes binary, ~800 bytes JSON: under 1 KiB
  static final Duration SPAWN_PACE = Duration.ofMillis(500); // 20 spawns/s, under rate 30
  static final Duration WAIT_LIMIT = Duration.ofSeconds(40);

  /** Per universe: the player numbers of seeders that finished, and late joiners done. */
  final Map<Integer, List<Long>> seeded = new ConcurrentHashMap<>();
  final Map<Integer, AtomicInteger> lateDone = new ConcurrentHashMap<>();

  List<Long> seededIn(int u) {
    return seeded.computeIfAbsent(u, k -> new CopyOnWriteArrayList<>());
  }

  AtomicInteger lateDoneIn(int u) {
    return lateDone.computeIfAbsent(u, k -> new AtomicInteger());
  }

  ChainBuilder seed() {
    return exec(s -> {
          PlayerState.of(s).expectedErrors.add("too_many_entities");
          return s;
        })
        .asLongAs(s -> PlayerState.of(s).nextRef <= PlayerState.of(s).maxEntities + 1L).on(
            RelayChains.send("spawn batch", s -> {
              PlayerState p = PlayerState.of(s);
              List<ProtocolCodec.Spawn> batch = new ArrayList<>();
              while (batch.size() < SPAWNS_PER_FRAME && p.nextRef <= p.maxEntities + 1L) {
                float x = p.nextRef; // ship r at x = r: the snapshot check relies on it
                batch.add(p.spawn(x, p.universeIndex));
              }
              return batch;
            }),
            pause(SPAWN_PACE))
        .exec(RelayChains.readUntil("seedDeadline", s -> {
          PlayerState p = PlayerState.of(s);
          return p.ownByRef.size() >= p.maxEntities && p.errorCodes.contains("too_many_entities");
        }))
        .exec(s -> {
          PlayerState p = PlayerState.of(s);
          boolean ok = p.ownByRef.size() == p.maxEntities
              && p.errorCodes.equals(List.of("too_many_entities"))
              && p.pendingSpawns.keySet().equals(Set.of(p.maxEntities + 1L));
          RelayStats.verdict(s, "seed: maxEntities accepted, one more refused", ok,
              "own ships " + p.ownByRef.size() + "/" + p.maxEntities + ", errors " + p.errorCodes
                  + ", unanswered spawn refs " + p.pendingSpawns.keySet());
          if (ok) seededIn(p.universeIndex).add(p.you);
          return s;
        });
  }

  /** Reads events (so errors would be seen) until `done` or the wait limit. */
  static ChainBuilder waitFor(String key, java.util.function.Predicate<Session> done) {
    return exec(s -> s.set(key, RelayStats.now() + WAIT_LIMIT.toMillis()))
        .asLongAs(s -> !done.test(s) && RelayStats.now() < s.getLong(key))
        .on(pause(Duration.ofMillis(100)), RelayChains.readEvents());
  }

  static String snapshotProblem(PlayerState p, List<Long> seeders) {
    JsonNode w = p.welcome;
    Map<Long, Set<Long>> xsByOwner = new HashMap<>();
    for (JsonNode e : w.path("entities")) {
      xsByOwner.computeIfAbsent(e.path("o").asLong(), k -> new TreeSet<>()).add((long) e.path("x").asDouble());
    }
    Set<Long> players = new TreeSet<>();
    w.path("players").forEach(pl -> players.add(pl.path("p").asLong()));
    Set<Long> full = LongStream.rangeClosed(1, p.maxEntities).boxed().collect(Collectors.toCollection(TreeSet::new));
    List<String> problems = new ArrayList<>();
    int count = w.path("entities").size();
    if (count != seeders.size() * p.maxEntities) {
      problems.add(count + " entities, expected " + seeders.size() * p.maxEntities);
    }
    for (long seeder : seeders) {
      if (!players.contains(seeder)) problems.add("seeder " + seeder + " not in players");
      Set<Long> xs = xsByOwner.getOrDefault(seeder, Set.of());
      if (!xs.equals(full)) problems.add("seeder " + seeder + " has " + xs.size() + " of its " + p.maxEntities + " ships");
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  {
    System.out.println(describe(getClass().getSimpleName()) + " seedersPerUniverse=" + SEEDERS_PER_UNIVERSE
        + " lateJoinersPerUniverse=" + LATE_JOINERS_PER_UNIVERSE);

    ScenarioBuilder seeders = scenario("seeders").exec(
        RelayChains.join(PREFIX, "seeder", UNIVERSES, new AtomicInteger()),
        RelayChains.login(),
        RelayChains.connect(),
        seed(),
        waitFor("lateDeadline", s -> lateDoneIn(PlayerState.of(s).universeIndex).get() >= LATE_JOINERS_PER_UNIVERSE),
        RelayChains.close());

    ScenarioBuilder lateJoiners = scenario("late joiners").exec(
        RelayChains.join(PREFIX, "late", UNIVERSES, new AtomicInteger()),
        exec(s -> s.set("seedDeadline", RelayStats.now() + WAIT_LIMIT.toMillis())),
        asLongAs(s -> seededIn(PlayerState.of(s).universeIndex).size() < SEEDERS_PER_UNIVERSE
            && RelayStats.now() < s.getLong("seedDeadline"))
            .on(pause(Duration.ofMillis(100))),
        RelayChains.login(),
        RelayChains.connect(),
        exec(s -> {
          PlayerState p = PlayerState.of(s);
          String problem = snapshotProblem(p, seededIn(p.universeIndex));
          RelayStats.verdict(s, "welcome snapshot complete", problem == null, problem);
          return s;
        }),
        RelayChains.readFor(Duration.ofSeconds(1)),
        RelayChains.close(),
        exec(s -> {
          lateDoneIn(PlayerState.of(s).universeIndex).incrementAndGet();
          return s;
        }));

    int seederCount = UNIVERSES * SEEDERS_PER_UNIVERSE;
    int lateCount = UNIVERSES * LATE_JOINERS_PER_UNIVERSE;
    setUp(
        seeders.injectOpen(atOnceUsers(seederCount)),
        lateJoiners.injectOpen(rampUsers(lateCount).during(Duration.ofSeconds(1))))
        .protocols(RelayChains.protocol())
        .assertions(
            global().failedRequests().count().is(0L),
            details("seed: maxEntities accepted, one more refused").successfulRequests().count().is((long) seederCount),
            details("welcome snapshot complete").successfulRequests().count().is((long) lateCount));
  }
}
