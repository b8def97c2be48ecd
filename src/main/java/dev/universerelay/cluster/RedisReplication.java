package dev.universerelay.cluster;

import dev.universerelay.universe.CatchUp;
import dev.universerelay.universe.ReplicatedChange;
import dev.universerelay.universe.Replication;
import dev.universerelay.universe.SharedSnapshot;
import dev.universerelay.universe.Universe;
import java.util.ArrayList;
import java.util.List;

/**
 * One universe's tie to Redis on this node: its changes are queued for the writer thread, the
 * others' arrive from the subscription, its entity ids come from blocks reserved ahead. Changes
 * that arrive while the snapshot is loading (or while the node catches up) wait in a buffer and are
 * applied after it, in order (every change is a whole state, so applying one the snapshot already
 * holds changes nothing).
 *
 * <p>Locks: this object's monitor guards {@code live} and the buffer and is held while other nodes'
 * changes are applied (it is taken before the universe's lock, never after); {@code pendingLock}
 * guards this node's queued changes and is taken under the universe's lock. Neither is held across
 * a call to Redis.
 */
final class RedisReplication implements Replication {
    final RedisKeys.UniverseKeys keys;
    final String universeName;
    private final Universe universe;
    private final RedisCluster.Parts cluster;
    private final EntityIdBlocks ids;
    private boolean live;
    private final List<ReplicatedChange> waiting = new ArrayList<>();
    private final Object pendingLock = new Object();
    private List<ReplicatedChange> pending = new ArrayList<>();

    RedisReplication(RedisCluster.Parts cluster, Universe universe) {
        this.cluster = cluster;
        this.universe = universe;
        this.universeName = universe.name();
        this.keys = RedisKeys.UniverseKeys.of(universeName);
        this.ids = new EntityIdBlocks(cluster.idBlock(), count -> cluster.scripts().reserveEntityIds(keys, count));
    }

    /** Subscribes first, then reads the snapshot, so that no change falls between the two; then reserves ids. */
    @Override
    public void load() {
        if (!cluster.connections().isReady()) {
            throw new IllegalStateException("Redis is unreachable");
        }
        try {
            cluster.subscriptions().attach(this);
            SharedSnapshot snapshot = cluster.scripts().snapshot(keys);
            goLive(snapshot.changes());
            ids.add(cluster.scripts().reserveEntityIds(keys, cluster.idBlock()).toCompletableFuture()
                    .get(cluster.commandTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cluster.subscriptions().detach(this);
            throw new IllegalStateException("interrupted while loading universe " + universeName, e);
        } catch (Exception e) {
            cluster.subscriptions().detach(this);
            throw new IllegalStateException("cannot load universe " + universeName + " from Redis", e);
        }
    }

    @Override
    public long nextEntityId() {
        return ids.take();
    }

    @Override
    public void reserveEntityIds() {
        if (cluster.connections().isReady()) {
            ids.topUp();
        }
    }

    /** Queues the change for the writer thread; the first change of a batch schedules it. */
    @Override
    public void publish(ReplicatedChange change) {
        if (!cluster.connections().isReady()) {
            return; // written again from this node's state when Redis is back (catch-up)
        }
        boolean first;
        synchronized (pendingLock) {
            first = pending.isEmpty();
            pending.add(change);
        }
        if (first) {
            cluster.writer().schedule(this);
        }
    }

    /** The changes queued since the last call, in order. */
    List<ReplicatedChange> takePending() {
        synchronized (pendingLock) {
            List<ReplicatedChange> taken = pending;
            pending = new ArrayList<>();
            return taken;
        }
    }

    /** Under the universe's lock: the unsubscribing is left to the writer thread. */
    @Override
    public void close() {
        cluster.writer().later(() -> cluster.subscriptions().detach(this));
    }

    Universe universe() {
        return universe;
    }

    /** A change from another node, from the subscription's thread: applied now, or after the snapshot. */
    synchronized void deliver(ReplicatedChange change) {
        if (live) {
            universe.applyRemote(change);
        } else {
            waiting.add(change);
        }
    }

    /** Applies the snapshot, then what arrived meanwhile; from then on changes go straight to the universe. */
    private synchronized void goLive(List<ReplicatedChange> snapshot) {
        snapshot.forEach(universe::applyRemote);
        waiting.forEach(universe::applyRemote);
        waiting.clear();
        live = true;
    }

    /**
     * Brings the copy back in line with Redis after this node may have missed changes (see
     * {@link CatchUp}): other nodes' changes wait meanwhile, so that the snapshot read after this
     * holds all that was applied before; those that arrived meanwhile are applied after it. On the
     * heartbeat's thread; waits for Redis and for the writer with no lock held.
     */
    void catchUp(String nodeId) {
        synchronized (this) {
            live = false;
        }
        try {
            SharedSnapshot snapshot = cluster.scripts().snapshot(keys); // first: then what this node holds
            CatchUp.Plan plan = CatchUp.plan(nodeId, universe.localPlayerNumbers(), universe.localEntityStates(),
                    snapshot, System.currentTimeMillis());
            plan.carryOut(universe, repairs -> cluster.writer().runAndWait(() -> cluster.writer().write(this, repairs)));
        } finally {
            synchronized (this) {
                waiting.forEach(universe::applyRemote);
                waiting.clear();
                live = true;
            }
        }
    }
}
