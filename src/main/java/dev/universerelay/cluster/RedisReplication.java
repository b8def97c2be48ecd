package dev.universerelay.cluster;

import dev.universerelay.universe.ReplicatedChange;
import dev.universerelay.universe.Replication;
import dev.universerelay.universe.Universe;
import java.util.ArrayList;
import java.util.List;

/**
 * One universe's tie to Redis on this node: its changes are written and published, the others'
 * arrive from the subscription. Changes that arrive while the snapshot is loading wait in a buffer
 * and are applied after it, in order (every change is a whole state, so applying one the snapshot
 * already holds changes nothing).
 */
final class RedisReplication implements Replication {
    final RedisKeys.UniverseKeys keys;
    final String universeName;
    private final RedisCluster cluster;
    private final Object idLock = new Object();
    private long nextId = 1;
    private long lastId = 0;
    private Universe universe;
    private boolean live;
    private final List<ReplicatedChange> waiting = new ArrayList<>();
    private final Object pendingLock = new Object();
    private List<ReplicatedChange> pending = new ArrayList<>();

    RedisReplication(RedisCluster cluster, String universeName) {
        this.cluster = cluster;
        this.universeName = universeName;
        this.keys = RedisKeys.UniverseKeys.of(universeName);
    }

    @Override
    public long nextEntityId() {
        synchronized (idLock) {
            if (nextId > lastId) {
                lastId = cluster.takeIds(keys.nextEntity());
                nextId = lastId - cluster.idBlock() + 1;
            }
            return nextId++;
        }
    }

    /** Queues the change for the writer thread; the first change of a batch schedules it. */
    @Override
    public void publish(ReplicatedChange change) {
        if (!cluster.isReady()) {
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

    @Override
    public void close() {
        cluster.detach(this);
    }

    /** A change from another node, from the subscription's single thread. */
    void deliver(ReplicatedChange change) {
        synchronized (this) {
            if (!live) {
                waiting.add(change);
                return;
            }
        }
        universe.applyRemote(change);
    }

    /** Applies the snapshot, then what arrived meanwhile; from then on changes go straight to the universe. */
    void goLive(Universe target, List<ReplicatedChange> snapshot) {
        synchronized (this) {
            universe = target;
            snapshot.forEach(target::applyRemote);
            waiting.forEach(target::applyRemote);
            waiting.clear();
            live = true;
        }
    }

    /** From now on other nodes' changes wait, so that a snapshot read after this holds all that was applied. */
    synchronized void hold() {
        live = false;
    }

    /** Runs {@code catchUp} (which brings the copy up to a snapshot), then what waited meanwhile, and goes live again. */
    void release(Runnable catchUp) {
        synchronized (this) {
            try {
                catchUp.run();
            } finally {
                waiting.forEach(universe::applyRemote);
                waiting.clear();
                live = true;
            }
        }
    }

    synchronized Universe universe() {
        return universe;
    }
}
