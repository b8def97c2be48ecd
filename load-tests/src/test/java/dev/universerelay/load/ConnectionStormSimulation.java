package dev.universerelay.load;

import static dev.universerelay.load.LoadConfig.*;
import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * New connections arrive at a rate that ramps from 1 to connectionsPerSec over stormRamp
 * seconds, then holds for stormHold seconds. Each one logs in, does the handshake, must get
 * its welcome first, stays open for linger seconds (reading, so errors would be seen) and
 * closes with 1000. Connections are spread over `universes` universes.
 * "connect" in the report is the handshake latency, "welcome" the wait for the first frame.
 */
public class ConnectionStormSimulation extends Simulation {

  static final String PREFIX = "storm";

  {
    System.out.println(describe(getClass().getSimpleName()) + String.format(
        " connectionsPerSec=%.1f stormRamp=%ds stormHold=%ds linger=%ds",
        CONNECTIONS_PER_SEC, STORM_RAMP.toSeconds(), STORM_HOLD.toSeconds(), LINGER.toSeconds()));

    // All virtual users come from 127.0.0.1, and the relay refuses more than
    // relay.session.max-connections-per-address (default 256) from one address with 429.
    double open = CONNECTIONS_PER_SEC * (LINGER.toMillis() / 1000.0 + 0.5);
    if (open > 256) {
      System.out.printf("note: about %.0f connections will be open at once; above 256 start the relay with"
          + " RELAY_SESSION_MAX_CONNECTIONS_PER_ADDRESS set higher, or expect 429s%n", open);
    }

    ScenarioBuilder storm = scenario("connections").exec(
        RelayChains.join(PREFIX, "conn", UNIVERSES, new AtomicInteger()),
        RelayChains.login(),
        RelayChains.connect(),
        RelayChains.readFor(LINGER),
        RelayChains.close());

    // The arrival count of the open-model profile: the ramp averages (1 + N) / 2 per second.
    long expected = Math.round((1 + CONNECTIONS_PER_SEC) / 2 * STORM_RAMP.toSeconds()
        + CONNECTIONS_PER_SEC * STORM_HOLD.toSeconds());

    setUp(storm.injectOpen(
            rampUsersPerSec(1).to(CONNECTIONS_PER_SEC).during(STORM_RAMP),
            constantUsersPerSec(CONNECTIONS_PER_SEC).during(STORM_HOLD)))
        .protocols(RelayChains.protocol())
        .assertions(
            global().failedRequests().count().is(0L),
            // every arrival got through (10 % slack for the profile's rounding, none for failures)
            details("welcome").successfulRequests().count().gte((long) (expected * 0.9)),
            details("connect").responseTime().percentile(99.0).lt(HANDSHAKE_P99_MS),
            details("welcome").responseTime().percentile(99.0).lt(HANDSHAKE_P99_MS));
  }
}
