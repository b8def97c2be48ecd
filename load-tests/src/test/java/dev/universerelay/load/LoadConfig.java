package dev.universerelay.load;

import java.time.Duration;
import java.util.Locale;

/**
 * Every knob of the simulations, read from system properties in one place so that the
 * commands in the README, smoke.sh and the simulations agree on names and defaults.
 * Defaults are small on purpose: each simulation finishes well under a minute on a laptop.
 */
public final class LoadConfig {

  /** Which subprotocol the virtual players speak (`-Dmode=bin|json`). */
  public enum Mode {
    BIN("relay.v1.bin"),
    JSON("relay.v1.json");

    public final String subprotocol;

    Mode(String subprotocol) {
      this.subprotocol = subprotocol;
    }
  }

  // ---- common ----
  public static final String BASE_URL = str("baseUrl", "http://127.0.0.1:8080").replaceAll("/+$", "");
  public static final String WS_BASE_URL = BASE_URL.replaceFirst("^http", "ws");
  /**
   * {@code bin}, {@code json}, or {@code mixed}: even-numbered players speak binary and odd ones
   * JSON, in the same universes, so one run checks both wire forms of every event.
   */
  public static final String MODE = str("mode", "bin").toLowerCase(Locale.ROOT);
  public static final int UNIVERSES = intProp("universes", 2);
  public static final int PLAYERS_PER_UNIVERSE = intProp("playersPerUniverse", 4);
  /** `move` messages per second per player; keep it under the relay's rate (default 30). */
  public static final double MOVE_RATE = doubleProp("moveRate", 10);
  /** How long each player keeps moving, seconds. */
  public static final Duration DURATION = Duration.ofMillis((long) (doubleProp("duration", 10) * 1000));
  /** Players of a simulation start within this many seconds (capped so that they all overlap). */
  public static final Duration RAMP = Duration.ofMillis(
      (long) (Math.min(doubleProp("ramp", 2), DURATION.toMillis() / 4000.0) * 1000));
  /**
   * A tag in every universe name, so that two runs against the same server (or the four
   * simulations of smoke.sh) never share a universe that is still being removed.
   */
  public static final String RUN_TAG = str("runTag", Long.toString(System.currentTimeMillis() % 1_000_000, 36));
  /** How long to wait for a single expected answer (welcome, own appeared, error, close). */
  public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(intProp("answerTimeout", 10));

  // ---- assertion bounds, milliseconds ----
  public static final int LATENCY_P50_MS = intProp("latencyP50", 50);
  public static final int LATENCY_P95_MS = intProp("latencyP95", 200);
  public static final int LATENCY_P99_MS = intProp("latencyP99", 500);
  public static final int HANDSHAKE_P99_MS = intProp("handshakeP99", 1000);

  // ---- ConnectionStormSimulation ----
  /** Target arrival rate of new connections (login + handshake + welcome) per second. */
  public static final double CONNECTIONS_PER_SEC = doubleProp("connectionsPerSec", 20);
  public static final Duration STORM_RAMP = seconds("stormRamp", 5);
  public static final Duration STORM_HOLD = seconds("stormHold", 10);
  /** How long each storm connection stays open after its welcome. */
  public static final Duration LINGER = seconds("linger", 3);

  // ---- AbuseSimulation: abusers per universe of each kind ----
  public static final int FLOODERS = intProp("flooders", 1);
  public static final int MALFORMERS = intProp("malformers", 1);
  public static final int OVERSIZERS = intProp("oversizers", 1);

  // ---- LateJoinerSimulation ----
  public static final int SEEDERS_PER_UNIVERSE = intProp("seedersPerUniverse", 2);
  public static final int LATE_JOINERS_PER_UNIVERSE = intProp("lateJoinersPerUniverse", 5);

  private LoadConfig() {}

  /** The mode of the n-th player (counted from 0) of a scenario. */
  public static Mode modeFor(int n) {
    return switch (MODE) {
      case "bin" -> Mode.BIN;
      case "json" -> Mode.JSON;
      case "mixed" -> n % 2 == 0 ? Mode.BIN : Mode.JSON;
      default -> throw new IllegalArgumentException("mode must be bin, json or mixed, not " + MODE);
    };
  }

  /** One line for the log, so that every report can be tied to its parameters. */
  public static String describe(String simulation) {
    modeFor(0); // fail at start on a bad -Dmode
    return String.format(Locale.ROOT,
        "%s: baseUrl=%s mode=%s universes=%d playersPerUniverse=%d moveRate=%.1f duration=%ds runTag=%s",
        simulation, BASE_URL, MODE, UNIVERSES, PLAYERS_PER_UNIVERSE,
        MOVE_RATE, DURATION.toSeconds(), RUN_TAG);
  }

  private static String str(String name, String def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : v.trim();
  }

  private static int intProp(String name, int def) {
    return Integer.parseInt(str(name, Integer.toString(def)));
  }

  private static double doubleProp(String name, double def) {
    return Double.parseDouble(str(name, Double.toString(def)));
  }

  private static Duration seconds(String name, double def) {
    return Duration.ofMillis((long) (doubleProp(name, def) * 1000));
  }
}
