package dev.universerelay.load;

import static dev.universerelay.load.LoadConfig.*;
import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * U universes × P players. Each player logs in, connects, gets its welcome, spawns a ship
 * (learning its id from the ref in its own appeared), then moves it moveRate times a second
 * for the duration, reading the others' velocity events all the time. Event latency (send of
 * a move → receipt of its velocity by each other player) is a Gatling request named
 * "event latency"; see PlayerState for how it is measured.
 */
public class UniverseFanoutSimulation extends Simulation {

  static final String PREFIX = "fan";

  public static ScenarioBuilder players(String scenarioName, String prefix, AtomicInteger counter) {
    return scenario(scenarioName).exec(
        RelayChains.join(prefix, scenarioName, UNIVERSES, counter),
        RelayChains.login(),
        RelayChains.connect(),
        RelayChains.spawnShip(),
        RelayChains.moveLoop(),
        // the others' last moves are still on their way
        RelayChains.readFor(Duration.ofMillis(500)),
        RelayChains.checkOthersSeen(PLAYERS_PER_UNIVERSE - 1),
        RelayChains.close());
  }

  {
    System.out.println(describe(getClass().getSimpleName()));
    int total = UNIVERSES * PLAYERS_PER_UNIVERSE;
    setUp(players("players", PREFIX, new AtomicInteger()).injectOpen(rampUsers(total).during(RAMP)))
        .protocols(RelayChains.protocol())
        .assertions(
            // nothing failed: logins, handshakes, welcomes, errors, protocol violations, verdicts
            global().failedRequests().count().is(0L),
            details("connect").successfulRequests().count().is((long) total),
            details("others' velocity seen").successfulRequests().count().is((long) total),
            details(PlayerState.EVENT_LATENCY).responseTime().percentile(50.0).lt(LATENCY_P50_MS),
            details(PlayerState.EVENT_LATENCY).responseTime().percentile(95.0).lt(LATENCY_P95_MS),
            details(PlayerState.EVENT_LATENCY).responseTime().percentile(99.0).lt(LATENCY_P99_MS));
  }
}
