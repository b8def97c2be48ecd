package dev.universerelay.support;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;

/**
 * One relay node of a test cluster: a whole server (its own application context and port) in
 * cluster mode against the given Redis, with short heartbeats so that node loss shows quickly.
 */
public final class RelayNode implements RelayEndpoint, AutoCloseable {
    private final EmbeddedServer server;
    private final String nodeId;

    private RelayNode(EmbeddedServer server, String nodeId) {
        this.server = server;
        this.nodeId = nodeId;
    }

    public static RelayNode start(RedisServer redis, String nodeId, Map<String, Object> extra) {
        return start(redis.uri(), nodeId, extra);
    }

    /** A node whose Redis may not be running yet. */
    public static RelayNode start(String redisUri, String nodeId, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("redis.uri", redisUri);
        properties.put("relay.cluster.mode", "redis");
        properties.put("relay.cluster.node-id", nodeId);
        properties.put("relay.cluster.heartbeat-interval", "200ms");
        properties.put("relay.cluster.node-ttl", "1s");
        properties.put("relay.cluster.command-timeout", "1s");
        properties.putAll(extra);
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties, "test");
        return new RelayNode(server, nodeId);
    }

    @Override
    public int port() {
        return server.getPort();
    }

    public String nodeId() {
        return nodeId;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.getApplicationContext().close();
        }
    }
}
