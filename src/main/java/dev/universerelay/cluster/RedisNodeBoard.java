package dev.universerelay.cluster;

import dev.universerelay.console.NodeBoard;
import dev.universerelay.console.NodeStatus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The console's node board in cluster mode: every node writes its latest status, once a second,
 * into the hash {@value #STATUSES} (field: node id, value: JSON), and reads the others' from it;
 * a drain asked of another node is the key {@code relay:console:drain:<node>} (30 s lifetime),
 * taken by that node at its next sample. Statuses older than {@link #FORGET_AFTER_MILLIS} are
 * removed by whichever node reads them, so the hash holds the live nodes and the recently lost
 * ones. It uses its own Redis connection, so the console never queues behind the cluster's writes.
 */
@Singleton
@Requires(property = "relay.cluster.mode", value = "redis")
final class RedisNodeBoard implements NodeBoard {
    static final String STATUSES = "relay:console:nodes";
    static final long FORGET_AFTER_MILLIS = 10 * 60_000;
    private static final long DRAIN_REQUEST_MILLIS = 30_000;

    private final RedisClient client;
    private final RedisCluster cluster;
    private final JsonMapper json;
    private StatefulRedisConnection<String, String> connection;

    RedisNodeBoard(RedisClient client, RedisCluster cluster, JsonMapper json) {
        this.client = client;
        this.cluster = cluster;
        this.json = json;
    }

    @Override
    public String nodeId() {
        return cluster.nodeId();
    }

    private synchronized StatefulRedisConnection<String, String> redis() {
        if (connection == null || !connection.isOpen()) {
            connection = client.connect();
            connection.setTimeout(java.time.Duration.ofSeconds(1));
        }
        return connection;
    }

    @Override
    public void publish(NodeStatus mine) {
        try {
            redis().sync().hset(STATUSES, mine.node(), json.writeValueAsString(mine));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode this node's status", e);
        }
    }

    @Override
    public List<NodeStatus> others(int max) {
        Map<String, String> all = redis().sync().hgetall(STATUSES);
        long now = System.currentTimeMillis();
        List<NodeStatus> result = new ArrayList<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (e.getKey().equals(nodeId())) {
                continue;
            }
            NodeStatus status;
            try {
                status = json.readValue(e.getValue(), NodeStatus.class);
            } catch (IOException | RuntimeException unreadable) {
                redis().sync().hdel(STATUSES, e.getKey()); // written by another version, or damaged
                continue;
            }
            if (status.latest() == null || now - status.latest().at() > FORGET_AFTER_MILLIS) {
                redis().sync().hdel(STATUSES, e.getKey());
            } else if (result.size() < max) {
                result.add(status);
            }
        }
        return result;
    }

    @Override
    public boolean requestDrain(String node, String requestedBy) {
        if (redis().sync().hexists(STATUSES, node) != Boolean.TRUE) {
            return false;
        }
        redis().sync().psetex(drainKey(node), DRAIN_REQUEST_MILLIS, requestedBy);
        return true;
    }

    @Override
    public String takeDrainRequest() {
        return redis().sync().getdel(drainKey(nodeId()));
    }

    private static String drainKey(String node) {
        return "relay:console:drain:" + node;
    }

    /** Removes this node's status on shutdown, so that consoles stop showing a node that left cleanly. */
    @PreDestroy
    synchronized void leave() {
        if (connection != null && connection.isOpen()) {
            try {
                connection.sync().hdel(STATUSES, nodeId());
            } catch (RuntimeException e) {
                // Redis gone: the status ages out instead
            }
            connection.close();
        }
    }
}
