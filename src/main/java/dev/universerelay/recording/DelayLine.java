package dev.universerelay.recording;

import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.universe.UniverseTap;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent past of one live universe, in memory, for its delayed spectators: the universe's
 * stream (as a {@link UniverseTap}, so appended under the universe's lock: a list add, no I/O)
 * kept for {@code keepMillis}. What falls out of that window is folded into a base state, so a
 * spectator can start at any time inside the window with the exact state of that moment. Records
 * are numbered; a {@link DelayedView} reads them by number as they become due.
 */
public final class DelayLine implements UniverseTap {
    private final long keepMillis;
    private final List<Recorded> records = new ArrayList<>();
    /** Number of {@code records.get(0)}. */
    private long headSeq;
    private final UniverseState base = new UniverseState();
    private long baseTime = Long.MIN_VALUE;
    private long startedAt = Long.MAX_VALUE;
    private boolean ended;
    private long endedAt;

    public DelayLine(long keepMillis) {
        this.keepMillis = keepMillis;
    }

    @Override
    public synchronized void started(String universe, long serverTime, List<ServerMessage.PlayerInfo> players,
                                     List<ServerMessage.Appeared> entities) {
        startedAt = serverTime;
        base.apply(new Recorded.Keyframe(serverTime, List.copyOf(players), List.copyOf(entities)));
        baseTime = serverTime;
    }

    @Override
    public synchronized void event(ServerMessage message, long serverTime) {
        if (ended) {
            return;
        }
        records.add(new Recorded.Event(serverTime, message));
        trim(serverTime);
    }

    @Override
    public synchronized void ended(long serverTime) {
        ended = true;
        endedAt = serverTime;
    }

    /** Folds records older than the window into the base state, in chunks so that the list is not shifted per event. */
    private void trim(long now) {
        int old = 0;
        while (old < records.size() && records.get(old).time() < now - keepMillis) {
            old++;
        }
        if (old >= 256 || (old > 0 && old * 2 >= records.size())) {
            List<Recorded> gone = records.subList(0, old);
            for (Recorded r : gone) {
                base.apply(r);
            }
            baseTime = gone.get(gone.size() - 1).time();
            gone.clear();
            headSeq += old;
        }
    }

    /** Where a spectator starts: the state at {@code time} and the number of the first record after it. */
    public record Start(Recorded.Keyframe state, long nextSeq) {
    }

    /** The state at {@code time}, or null while the line does not reach back that far yet (it started later). */
    public synchronized Start startAt(long time) {
        if (time < startedAt || time < baseTime) {
            return null;
        }
        UniverseState state = new UniverseState();
        state.apply(base.keyframe(baseTime));
        int i = 0;
        while (i < records.size() && records.get(i).time() <= time) {
            state.apply(records.get(i));
            i++;
        }
        return new Start(state.keyframe(time), headSeq + i);
    }

    /** Records from number {@code seq} on whose time is at most {@code upTo}, in order, into {@code out}; returns the next number. */
    public synchronized long read(long seq, long upTo, List<Recorded> out) {
        int i = (int) Math.max(0, seq - headSeq);
        while (i < records.size() && records.get(i).time() <= upTo) {
            out.add(records.get(i));
            i++;
        }
        return headSeq + i;
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    /** Whether the universe closed and every record up to {@code time} has been read from {@code seq}. */
    public synchronized boolean isOverAt(long seq, long time) {
        return ended && time >= endedAt && seq >= headSeq + records.size();
    }
}
