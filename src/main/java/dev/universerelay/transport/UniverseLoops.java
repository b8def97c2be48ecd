package dev.universerelay.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * Which event loop serves the connections of a universe: the same one for all of them, chosen from
 * the universe's name alone (no state, so a client cannot make it grow, and every node of a cluster
 * agrees). A move is then read, applied and fanned out on one thread, and every recipient's write
 * happens there too, in the same turn of the loop: no hand-over to other loops, no wake-ups, as
 * uWebSockets serves a whole server. With the players of a universe spread over the loops instead
 * (Netty hands accepted sockets out in turn), each fan-out woke every other loop: a third of the
 * relay's CPU at 95,000 events/s (docs/performance.md, "Universe affinity"). Universes, not players,
 * are what spread over the cores.
 */
final class UniverseLoops {
    private final EventLoopGroup group;
    private final EventLoop[] loops;

    private UniverseLoops(EventLoopGroup group, EventLoop[] loops) {
        this.group = group;
        this.loops = loops;
    }

    /** The loops of {@code group} (the group the server's connections are registered with). */
    static UniverseLoops of(EventLoopGroup group) {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            if (executor instanceof EventLoop loop) {
                loops.add(loop);
            }
        }
        return new UniverseLoops(group, loops.toArray(EventLoop[]::new));
    }

    boolean serves(EventLoopGroup candidate) {
        return candidate == group;
    }

    /** The loop of the universe named {@code universe}; null when the group has no loops it could list. */
    EventLoop of(String universe) {
        if (loops.length == 0) {
            return null;
        }
        return loops[Math.floorMod(spread(universe.hashCode()), loops.length)];
    }

    int size() {
        return loops.length;
    }

    /** Mixes the bits of a String hash (similar names differ in their last characters). */
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
