package bench.interest;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one event loop thread owns: its pilots, their send schedule and the statistics. Only that
 * thread touches it; the main thread reads it through {@code submit}.
 */
final class Loop {
    final EventLoop loop;
    final InterestBench bench;
    final List<Pilot> pilots = new ArrayList<>();
    final Histogram latency = new Histogram(60_000_000L, 3); // microseconds

    // received in the window (by receive time)
    long framesWindow;
    long bytesWindow; // WebSocket payload bytes
    final long[] eventsWindow = new long[5]; // by binary type: 1 appeared, 2 velocity, 3 destroyed, 4 hidden
    long controlWindow; // text frames (welcome, joined, left, errors)
    // velocities by send time in the window
    long deliveredWindow;
    long missedWindow; // sequence gaps while the entity stayed shown
    // anomalies over the whole run
    long lateOrDuplicate;
    long velocityNotShown; // a velocity for an entity this pilot was not shown: must be 0
    long unmatched;
    long protocolErrors;
    final Map<String, Long> errors = new HashMap<>();
    // sends
    long movesWindow;
    long viewsWindow;
    long movesTotal;
    long skippedSends;
    long maxTickLagNanos;

    private List<Pilot>[] wheel;
    private long slotNanos;
    private long lastSlot = -1;
    private ScheduledFuture<?> ticker;

    Loop(EventLoop loop, InterestBench bench) {
        this.loop = loop;
        this.bench = bench;
    }

    boolean inWindow(long nanos) {
        return nanos >= bench.measureStart && nanos < bench.measureEnd;
    }

    void error(String code) {
        errors.merge(code, 1L, Long::sum);
    }

    /** On the loop: spreads the ready pilots over one move period and starts the 1 ms ticker. */
    @SuppressWarnings("unchecked")
    void startSending() {
        double periodNanos = 1e9 / bench.cfg.rate;
        int slots = (int) Math.max(1, Math.min(2000, Math.floor(periodNanos / 1_000_000.0)));
        slotNanos = Math.max(1, (long) (periodNanos / slots));
        wheel = new List[slots];
        for (int i = 0; i < slots; i++) wheel[i] = new ArrayList<>();
        for (Pilot p : pilots) {
            if (p.ready) wheel[p.index % slots].add(p);
        }
        ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        if (now >= bench.sendEnd) {
            ticker.cancel(false);
            return;
        }
        long g = (now - bench.sendStart) / slotNanos;
        if (g <= lastSlot) return;
        long from = lastSlot + 1;
        int slots = wheel.length;
        if (g - from >= slots) { // more than a period behind: skip ahead, count what was not sent
            for (long s = from; s <= g - slots; s++) skippedSends += wheel[(int) (s % slots)].size();
            from = g - slots + 1;
        }
        long lag = now - (bench.sendStart + from * slotNanos);
        if (lag > maxTickLagNanos) maxTickLagNanos = lag;
        for (long s = from; s <= g; s++) {
            List<Pilot> list = wheel[(int) (s % slots)];
            for (int i = 0, n = list.size(); i < n; i++) list.get(i).sendMove(now);
        }
        lastSlot = g;
    }
}
