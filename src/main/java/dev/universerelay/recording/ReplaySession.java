package dev.universerelay.recording;

import dev.universerelay.protocol.ReplayCodec;
import dev.universerelay.protocol.ServerMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Plays one recording to one viewer as a live universe would show it to a spectator: a
 * {@code welcome} with the state at the start, then every event when it is due, at the recorded
 * spacing divided by the speed. A seek (and the start) reads from the nearest keyframe before the
 * target, applies what follows up to the target into a {@link UniverseState} without sending it,
 * and sends a fresh {@code welcome} of that state, which clients already handle as after a resume.
 * Records are read from the file as they become due, so a replay holds one record ahead, not the
 * recording. All methods are synchronized: the scheduler's threads and the viewer's event loop
 * both call in, briefly.
 */
public final class ReplaySession implements Playback {
    private final RecordingIndex index;
    private final Path path;
    private final ReplayViewer viewer;
    private final String viewerName;
    private final ServerMessage.LimitsInfo limits;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanos;
    private final ReplayObserver observer;
    private RecordingReader reader;
    private Recorded pending;
    private double speed = 1;
    private boolean paused;
    private boolean ended;
    private boolean stopped;
    /** Recorded time at {@link #anchorNanos}; the replay's time advances from there at {@link #speed}. */
    private long anchorTime;
    private long anchorNanos;
    private ScheduledFuture<?> next;

    /** Told how late each event left, for the lag metric. */
    @FunctionalInterface
    public interface ReplayObserver {
        void lateBy(long nanos);

        ReplayObserver NONE = nanos -> { };
    }

    public ReplaySession(RecordingIndex index, Path path, ReplayViewer viewer, String viewerName,
                         ServerMessage.LimitsInfo limits, ScheduledExecutorService scheduler, LongSupplier nanos,
                         ReplayObserver observer) {
        this.index = index;
        this.path = path;
        this.viewer = viewer;
        this.viewerName = viewerName;
        this.limits = limits;
        this.scheduler = scheduler;
        this.nanos = nanos;
        this.observer = observer;
    }

    public RecordingIndex index() {
        return index;
    }

    /** Opens the file, sends the first {@code welcome} and starts playing at 1x. */
    public synchronized void start() throws IOException {
        reader = RecordingReader.open(path);
        seekTo(index.start());
        sendStatus();
        schedule();
    }

    /**
     * Applies a viewer's control.
     *
     * @return null when done, else why it was refused (for a {@code bad_message})
     */
    @Override
    public synchronized String control(ReplayCodec.Control control) {
        if (stopped) {
            return null;
        }
        if (control.seek() != null && (control.seek() < index.start() || control.seek() > index.end())) {
            return "seek " + control.seek() + " is outside the recording (" + index.start() + " to " + index.end() + ")";
        }
        long now = nanos.getAsLong();
        anchorTime = replayTime(now);
        anchorNanos = now;
        if (control.speed() != null) {
            speed = control.speed();
        }
        if (control.paused() != null) {
            paused = control.paused();
        }
        if (control.seek() != null) {
            try {
                seekTo(control.seek());
            } catch (IOException e) {
                return "the recording cannot be read any more";
            }
        }
        sendStatus();
        schedule();
        return null;
    }

    /** Answers a ping with the replay's own clock, so that clients extrapolate in recorded time. */
    @Override
    public synchronized ServerMessage.Pong pong(double clientTime) {
        return new ServerMessage.Pong(clientTime, replayTime(nanos.getAsLong()));
    }

    /** Ends the replay (the viewer left): no message is sent any more and the file is closed. False when it was stopped already. */
    @Override
    public synchronized boolean stop() {
        if (stopped) {
            return false;
        }
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
        closeReader();
        return true;
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    /** The recorded server time the replay is at. */
    public synchronized long replayTime() {
        return replayTime(nanos.getAsLong());
    }

    private long replayTime(long now) {
        if (paused || ended) {
            return anchorTime;
        }
        return anchorTime + (long) ((now - anchorNanos) / 1_000_000.0 * speed);
    }

    private void seekTo(long time) throws IOException {
        RecordingIndex.KeyframeAt keyframe = index.keyframeFor(time);
        reader.seek(keyframe.offset());
        UniverseState state = new UniverseState();
        Recorded r = reader.next();
        while (r != null && r.time() <= time) {
            state.apply(r);
            r = reader.next();
        }
        pending = r;
        ended = false;
        anchorTime = time;
        anchorNanos = nanos.getAsLong();
        Recorded.Keyframe at = state.keyframe(time);
        viewer.send(new ServerMessage.Welcome(index.universe(), 0, viewerName, time, "", at.players(), at.entities(), limits));
        skipToEvent();
    }

    /** Moves past records that are not for the viewer (keyframes, the end); notes the end of the file. */
    private void skipToEvent() throws IOException {
        while (pending != null && !(pending instanceof Recorded.Event)) {
            pending = reader.next();
        }
        if (pending == null && !ended) {
            ended = true;
            anchorTime = Math.max(anchorTime, index.end());
        }
    }

    private void tick() {
        synchronized (this) {
            next = null;
            if (stopped || paused || ended) {
                return;
            }
            long now = nanos.getAsLong();
            long time = replayTime(now);
            try {
                while (pending != null && pending.time() <= time) {
                    long dueNanos = anchorNanos + (long) ((pending.time() - anchorTime) / speed * 1_000_000.0);
                    observer.lateBy(Math.max(0, now - dueNanos));
                    viewer.send(((Recorded.Event) pending).message());
                    pending = reader.next();
                    skipToEvent();
                }
            } catch (IOException e) {
                pending = null;
                ended = true;
            }
            if (ended) {
                anchorTime = index.end();
                anchorNanos = now;
                sendStatus();
                return;
            }
            schedule();
        }
    }

    private void schedule() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        if (stopped || paused || ended || pending == null) {
            return;
        }
        long now = nanos.getAsLong();
        long delay = (long) ((pending.time() - replayTime(now)) / speed * 1_000_000.0);
        next = scheduler.schedule(this::tick, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void sendStatus() {
        viewer.status(new ReplayCodec.Status(index.id(), index.universe(), index.start(), index.end(),
                replayTime(nanos.getAsLong()), speed, paused, ended));
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }
}
