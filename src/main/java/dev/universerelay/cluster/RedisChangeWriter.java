package dev.universerelay.cluster;

import dev.universerelay.universe.ReplicatedChange;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's changes to Redis, on one thread of its own, a universe's pending changes at a
 * time: the entities' last states in one {@code HSET} (and one {@code HDEL}), then all the changes
 * in one {@code PUBLISH}. The busier the node, the more changes share those commands (two commands
 * per move when idle, far fewer under load), and players' event loops never wait for Redis.
 * A player leaving ends a run: its {@code LEAVE} script follows the changes before it.
 *
 * <p>A write Redis refuses (Lettuce's queue full, the connection gone) is remembered, so that the
 * node catches up at its next heartbeat instead of leaving the others with a stale copy.
 */
final class RedisChangeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChangeWriter.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "relay-cluster-writer");
        t.setDaemon(true);
        return t;
    });
    private final String nodeId;
    private final Supplier<StatefulRedisConnection<byte[], byte[]>> connection;
    private final RedisScriptCalls scripts;
    private final Runnable onPublished;
    private volatile boolean failed;

    RedisChangeWriter(String nodeId, Supplier<StatefulRedisConnection<byte[], byte[]>> connection, RedisScriptCalls scripts,
                      Runnable onPublished) {
        this.nodeId = nodeId;
        this.connection = connection;
        this.scripts = scripts;
        this.onPublished = onPublished;
    }

    /** Has the replication's pending changes written soon, on the writer thread; returns at once. */
    void schedule(RedisReplication replication) {
        later(() -> write(replication, replication.takePending()));
    }

    /** Runs a task on the writer thread after the writes queued before it; returns at once (nothing after shutdown). */
    void later(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException shutDown) {
            LOG.debug("cluster writer is shut down; a task was dropped");
        }
    }

    /** Runs a task on the writer thread and waits, so that its writes keep their place among the others. */
    void runAndWait(Runnable task) {
        try {
            thread.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Whether a write failed since the last call (and forgets it). */
    boolean takeFailure() {
        boolean was = failed;
        failed = false;
        return was;
    }

    void shutdown() {
        thread.shutdown();
    }

    /** Writes changes of one universe, in order; on the writer thread. */
    void write(RedisReplication replication, List<ReplicatedChange> changes) {
        StatefulRedisConnection<byte[], byte[]> c = connection.get();
        if (c == null || changes.isEmpty()) {
            return;
        }
        RedisAsyncCommands<byte[], byte[]> redis = c.async();
        Run run = new Run();
        try {
            for (ReplicatedChange change : changes) {
                if (endsRun(change.type())) {
                    run.send(redis, replication.keys);
                    RedisKeys.UniverseKeys k = replication.keys;
                    scripts.leave(redis, k, ((ReplicatedChange.MemberLeft) change).number())
                            .whenComplete((result, error) -> noteFailure(error));
                    onPublished.run();
                } else {
                    run.add(change);
                }
            }
            run.send(redis, replication.keys);
        } catch (RuntimeException e) {
            failed = true;
            LOG.debug("changes of universe {} not written to Redis: {}", replication.universeName, e.toString());
        }
    }

    /**
     * Whether a change is written by a script of its own after the changes before it, instead of
     * sharing their commands: a leave (the LEAVE script). A switch expression, so that a new type of
     * change must be placed here (see ReplicatedChange.Type).
     */
    private static boolean endsRun(ReplicatedChange.Type type) {
        return switch (type) {
            case MEMBER_LEFT -> true;
            case MEMBER_JOINED, MEMBER_MOVED, MEMBER_ORPHANED, MEMBER_VIEW, ENTITY_SET, ENTITY_REMOVED -> false;
        };
    }

    private void noteFailure(Throwable error) {
        if (error != null) {
            failed = true;
        }
    }

    /** Changes that share their commands: the entities' final states, the views, and one message. */
    private final class Run {
        final Map<Long, byte[]> states = new LinkedHashMap<>();
        final Set<Long> removed = new LinkedHashSet<>();
        final Map<Long, byte[]> views = new LinkedHashMap<>();
        final List<ReplicatedChange> changes = new ArrayList<>();

        void add(ReplicatedChange change) {
            // What the change leaves in the universe's hashes besides its message; a switch
            // expression, so that a new type of change must say (see ReplicatedChange.Type).
            Runnable store = switch (change.type()) {
                case ENTITY_SET -> () -> {
                    ReplicatedChange.EntitySet set = (ReplicatedChange.EntitySet) change;
                    states.put(set.id(), RedisScriptCalls.entityValue(set));
                    removed.remove(set.id());
                };
                case ENTITY_REMOVED -> () -> {
                    long id = ((ReplicatedChange.EntityRemoved) change).id();
                    states.remove(id);
                    removed.add(id);
                };
                case MEMBER_VIEW -> () -> {
                    ReplicatedChange.MemberView view = (ReplicatedChange.MemberView) change;
                    views.put(view.number(), RedisScriptCalls.viewValue(view));
                };
                // nothing: the CLAIM, LEAVE and node-loss scripts keep the members' hashes
                case MEMBER_JOINED, MEMBER_MOVED, MEMBER_ORPHANED, MEMBER_LEFT -> () -> { };
            };
            store.run();
            changes.add(change);
        }

        /** State first, then the message: a node that loads a snapshot meanwhile misses nothing (docs/cluster.md). */
        void send(RedisAsyncCommands<byte[], byte[]> redis, RedisKeys.UniverseKeys k) {
            if (changes.isEmpty()) {
                return;
            }
            if (!states.isEmpty()) {
                redis.hset(k.entities(), byteKeys(states));
            }
            if (!removed.isEmpty()) {
                redis.hdel(k.entities(), removed.stream().map(RedisScriptCalls::field).toArray(byte[][]::new));
            }
            if (!views.isEmpty()) {
                redis.hset(k.view(), byteKeys(views));
            }
            byte[] message;
            if (changes.size() == 1) {
                message = ClusterCodec.encode(nodeId, changes.get(0));
            } else {
                List<byte[]> encoded = new ArrayList<>(changes.size());
                changes.forEach(change -> encoded.add(ClusterCodec.encode("", change)));
                message = ClusterCodec.encodeBatch(nodeId, encoded);
            }
            redis.publish(k.channel(), message).whenComplete((receivers, error) -> noteFailure(error));
            for (int i = 0; i < changes.size(); i++) {
                onPublished.run();
            }
            states.clear();
            removed.clear();
            views.clear();
            changes.clear();
        }
    }

    private static Map<byte[], byte[]> byteKeys(Map<Long, byte[]> values) {
        Map<byte[], byte[]> map = new LinkedHashMap<>();
        values.forEach((id, value) -> map.put(RedisScriptCalls.field(id), value));
        return map;
    }
}
