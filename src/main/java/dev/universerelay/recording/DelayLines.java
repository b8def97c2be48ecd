package dev.universerelay.recording;

import dev.universerelay.universe.UniverseTap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@link DelayLine} per live universe that has delayed spectators, attached when the first
 * arrives and detached when the last leaves, so universes nobody watches with a delay keep no
 * history in memory.
 */
public final class DelayLines {
    private final long keepMillis;
    private final Map<String, Held> lines = new HashMap<>();

    private static final class Held {
        final DelayLine line;
        int viewers;

        Held(DelayLine line) {
            this.line = line;
        }
    }

    /** @param keepMillis how far back lines reach: the longest delay a spectator may ask for */
    public DelayLines(long keepMillis) {
        this.keepMillis = keepMillis;
    }

    /** The universe's line, attached with {@code attach} when it is the first viewer. */
    public synchronized DelayLine acquire(String universe, Consumer<UniverseTap> attach) {
        Held held = lines.get(universe);
        if (held == null || held.line.isEnded()) {
            held = new Held(new DelayLine(keepMillis));
            attach.accept(held.line);
            lines.put(universe, held);
        }
        held.viewers++;
        return held.line;
    }

    /** A viewer left; the last one detaches the line with {@code detach}. */
    public synchronized void release(String universe, DelayLine line, Consumer<UniverseTap> detach) {
        Held held = lines.get(universe);
        if (held == null || held.line != line) {
            return;
        }
        if (--held.viewers == 0) {
            lines.remove(universe);
            detach.accept(line);
        }
    }

    /** Universes with a line, for metrics. */
    public synchronized int size() {
        return lines.size();
    }
}
