package dev.universerelay.load;

import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.util.Clock;
import io.gatling.core.action.Action;
import io.gatling.core.stats.StatsEngine;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.Session;
import scala.Option;
import scala.collection.immutable.List$;

/**
 * Records measurements that Gatling's WebSocket DSL cannot take by itself as ordinary Gatling
 * "requests", so that they appear in the HTML report and Gatling assertions can bound them.
 *
 * <p>Why: an event's latency runs from the moment another virtual user sent a {@code move} to
 * the moment this one received the {@code velocity}; a WebSocket check only measures from when
 * it was armed. So the receiver computes start and end itself (see {@link PlayerState}) and logs
 * them here. Gatling has no public API for that, so {@link #capture()} is an action that grabs
 * the StatsEngine the scenario runs with (the same one its own requests go to) and then steps
 * aside: it builds no action of its own, it returns {@code next}. Pinned to Gatling 3.15.x.
 */
public final class RelayStats {

  private static volatile StatsEngine engine;
  private static volatile Clock clock;

  private RelayStats() {}

  /** Put first in every scenario (it costs nothing at run time). */
  public static ActionBuilder capture() {
    io.gatling.core.action.builder.ActionBuilder scala = new io.gatling.core.action.builder.ActionBuilder() {
      @Override
      public Action build(ScenarioContext ctx, Action next) {
        engine = ctx.coreComponents().statsEngine();
        clock = ctx.coreComponents().clock();
        return next;
      }
    };
    return () -> scala;
  }

  /**
   * Gatling's clock, which stamps received frames. It is not System.currentTimeMillis() (it
   * runs on nanoTime from an offset taken at start), so send times must come from it too.
   */
  public static long now() {
    Clock c = clock;
    return c == null ? System.currentTimeMillis() : c.nowMillis();
  }

  public static void ok(Session session, String name, long startMillis, long endMillis) {
    log(session.scenario(), name, startMillis, endMillis, true, null);
  }

  public static void ko(Session session, String name, long startMillis, long endMillis, String why) {
    log(session.scenario(), name, startMillis, endMillis, false, why);
  }

  /**
   * A verdict: one OK or KO "request" whose count assertions can demand. It takes no time,
   * so that verdicts do not skew the global response-time statistics of the report.
   */
  public static void verdict(Session session, String name, boolean ok, String why) {
    long now = now();
    log(session.scenario(), name, now, now, ok, ok ? null : why);
  }

  static void log(String scenario, String name, long start, long end, boolean ok, String why) {
    StatsEngine e = engine;
    if (e == null) throw new IllegalStateException("RelayStats.capture() must start the scenario");
    e.logResponse(scenario, List$.MODULE$.empty(), name, start, Math.max(start, end),
        ok ? OK$.MODULE$ : KO$.MODULE$, Option.empty(), Option.apply(why));
  }
}
