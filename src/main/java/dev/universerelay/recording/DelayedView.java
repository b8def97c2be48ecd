package dev.universerelay.recording;

import dev.universerelay.protocol.ReplayCodec;
import dev.universerelay.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A spectator who watches a live universe {@code delayMillis} behind (broadcasts with a delay
 * against ghosting): once the {@link DelayLine} reaches back that far, a {@code welcome} with the
 * state of {@code now - delay}, then each event when {@code now - delay} passes its time, checked
 * every {@link #TICK_MILLIS}. Its pongs carry {@code now - delay}, so clients extrapolate in the
 * delayed time. Players never see any of this: they are not slowed or changed.
 */
public final class DelayedView implements Playback {
    /** How often due events are sent: the delay is exact to within this. */
    static final long TICK_MILLIS = 10;

    private final DelayLine line;
    private final long delayMillis;
    private final ReplayViewer viewer;
    private final String universe;
    private final String viewerName;
    private final ServerMessage.LimitsInfo limits;
    private final LongSupplier clock;
    private final Runnable onOver;
    private final List<Recorded> due = new ArrayList<>();
    private ScheduledFuture<?> ticks;
    private long nextSeq = -1;
    private boolean stopped;

    public DelayedView(DelayLine line, long delayMillis, ReplayViewer viewer, String universe, String viewerName,
                       ServerMessage.LimitsInfo limits, LongSupplier clock, Runnable onOver) {
        this.line = line;
        this.delayMillis = delayMillis;
        this.viewer = viewer;
        this.universe = universe;
        this.viewerName = viewerName;
        this.limits = limits;
        this.clock = clock;
        this.onOver = onOver;
    }

    public synchronized void start(ScheduledExecutorService scheduler) {
        ticks = scheduler.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        boolean over;
        synchronized (this) {
            if (stopped) {
                return;
            }
            long time = clock.getAsLong() - delayMillis;
            if (nextSeq < 0) {
                DelayLine.Start start = line.startAt(time);
                if (start == null) {
                    return; // the line does not reach back that far yet: the welcome waits
                }
                nextSeq = start.nextSeq();
                viewer.send(new ServerMessage.Welcome(universe, 0, viewerName, time, "", start.state().players(),
                        start.state().entities(), limits));
            }
            due.clear();
            nextSeq = line.read(nextSeq, time, due);
            for (Recorded r : due) {
                viewer.send(((Recorded.Event) r).message());
            }
            due.clear();
            over = line.isOverAt(nextSeq, time);
        }
        if (over) {
            onOver.run();
        }
    }

    @Override
    public String control(ReplayCodec.Control control) {
        return "a delayed view of a live universe has no replay controls";
    }

    @Override
    public ServerMessage.Pong pong(double clientTime) {
        return new ServerMessage.Pong(clientTime, clock.getAsLong() - delayMillis);
    }

    @Override
    public synchronized boolean stop() {
        if (stopped) {
            return false;
        }
        stopped = true;
        if (ticks != null) {
            ticks.cancel(false);
        }
        return true;
    }
}
