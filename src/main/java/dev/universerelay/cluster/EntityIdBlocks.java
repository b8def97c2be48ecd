package dev.universerelay.cluster;

import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;

/**
 * One universe's entity ids on this node, taken from Redis in blocks reserved ahead, so that a
 * spawn, which takes its id under the universe's lock, never waits for Redis. The rule:
 * <ul>
 * <li>{@link #take} (under the universe's lock) gives the next id of the current block, moving on to
 * the block reserved ahead when the current one is used up; when there is none, it refuses
 * ({@link IllegalStateException}) instead of waiting, and the spawn is refused with "try again".</li>
 * <li>{@link #topUp} (after every spawn, without the universe's lock) starts reserving the next block
 * once fewer than half of the current block's ids are left and no block is reserved or on its
 * way. The reservation ({@code INCRBY}) does not wait; its answer arrives on Lettuce's thread.</li>
 * </ul>
 * With the default block of 1024 that leaves 512 spawns of one universe on one node for one round
 * trip to Redis. The first block is reserved when the universe is loaded ({@link #add}).
 *
 * <p>The monitor of this object is a leaf: held for a few field updates, never across a call out.
 */
final class EntityIdBlocks {
    private final int size;
    /** Starts reserving {@code size} ids; completes with the last of them. Must not wait. */
    private final IntFunction<CompletionStage<Long>> reserve;
    private long next = 1;
    private long last = 0;
    /** The last id of the block reserved ahead; 0 when there is none. */
    private long aheadLast;
    private boolean reserving;

    EntityIdBlocks(int size, IntFunction<CompletionStage<Long>> reserve) {
        this.size = size;
        this.reserve = reserve;
    }

    /** The next id; never waits. @throws IllegalStateException when no reserved id is left */
    synchronized long take() {
        if (next > last) {
            if (aheadLast == 0) {
                throw new IllegalStateException("no entity id reserved ahead; the next block is on its way");
            }
            last = aheadLast;
            next = aheadLast - size + 1;
            aheadLast = 0;
        }
        return next++;
    }

    /** Reserves the next block when the current one runs low; returns at once. */
    void topUp() {
        synchronized (this) {
            if (reserving || aheadLast != 0 || last - next + 1 > size / 2) {
                return;
            }
            reserving = true;
        }
        CompletionStage<Long> reserved;
        try {
            reserved = reserve.apply(size);
        } catch (RuntimeException e) {
            arrived(0); // Redis refused at once (unreachable): the next spawn tries again
            return;
        }
        reserved.whenComplete((lastId, error) -> arrived(error == null ? lastId : 0));
    }

    /** A block reserved (waited for) elsewhere, whose last id is {@code lastId}: the first one, when loading. */
    void add(long lastId) {
        arrived(lastId);
    }

    private synchronized void arrived(long lastId) {
        reserving = false;
        if (lastId > 0) {
            aheadLast = lastId;
        }
    }
}
