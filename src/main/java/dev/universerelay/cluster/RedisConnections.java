package dev.universerelay.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateAdapter;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's two connections to Redis and whether it can use them: one for commands and scripts,
 * one for the subscriptions. They are opened on the first heartbeat that reaches Redis (retried at
 * every heartbeat until then); after that Lettuce reconnects them by itself and subscribes again.
 * Commands are refused at once while a connection is down, so nothing waits on a dead socket.
 * The node is ready while its last heartbeat reached Redis.
 */
final class RedisConnections {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);

    private final RedisClient client;
    private final ClusterConfiguration config;
    private final String nodeId;
    private volatile BiConsumer<byte[], byte[]> onMessage = (channel, message) -> { };
    private volatile StatefulRedisConnection<byte[], byte[]> commands;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> subscription;
    private volatile boolean ready;
    /** The subscription was cut (Redis restarted, or dropped a subscriber that fell behind): changes were missed. */
    private volatile boolean subscriptionCut;

    RedisConnections(RedisClient client, ClusterConfiguration config, String nodeId) {
        this.client = client;
        this.config = config;
        this.nodeId = nodeId;
    }

    /** Who gets every subscribed message (channel, message), on Lettuce's I/O thread; set before {@link #connect}. */
    void deliverTo(BiConsumer<byte[], byte[]> receiver) {
        this.onMessage = receiver;
    }

    /** Opens the connections unless they are open; false (and not ready) when Redis cannot be reached. */
    synchronized boolean connect() {
        if (commands != null) {
            return true;
        }
        try {
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(config.requestQueueSize())
                    .build());
            StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
            c.setTimeout(config.commandTimeout());
            StatefulRedisPubSubConnection<byte[], byte[]> s = client.connectPubSub(ByteArrayCodec.INSTANCE);
            s.setTimeout(config.commandTimeout());
            client.addListener(new RedisConnectionStateAdapter() {
                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                    if (connection == subscription) {
                        subscriptionCut = true; // Lettuce subscribes again; the next beat catches up
                    }
                }
            });
            s.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    onMessage.accept(channel, message);
                }
            });
            subscription = s;
            commands = c;
            return true;
        } catch (RuntimeException e) {
            if (ready || commands == null) {
                LOG.warn("cluster: node {} cannot connect to Redis ({}); not ready", nodeId, e.toString());
            }
            ready = false;
            return false;
        }
    }

    /** The command connection; null before the first successful {@link #connect}. */
    StatefulRedisConnection<byte[], byte[]> commands() {
        return commands;
    }

    /** The subscription connection; null before the first successful {@link #connect}. */
    StatefulRedisPubSubConnection<byte[], byte[]> subscription() {
        return subscription;
    }

    boolean subscriptionOpen() {
        StatefulRedisPubSubConnection<byte[], byte[]> s = subscription;
        return s != null && s.isOpen();
    }

    /** Whether the subscription was cut since the last {@link #clearSubscriptionCut}. */
    boolean subscriptionCut() {
        return subscriptionCut;
    }

    /** The node caught up with what it missed while its subscription was cut. */
    void clearSubscriptionCut() {
        subscriptionCut = false;
    }

    boolean isReady() {
        return ready;
    }

    /** Set by the heartbeat: whether its last round reached Redis. */
    void ready(boolean reached) {
        ready = reached;
    }

    /** Runs {@code last} on the command connection (if any), then closes both connections. */
    void close(java.util.function.Consumer<StatefulRedisConnection<byte[], byte[]>> last) {
        ready = false;
        StatefulRedisConnection<byte[], byte[]> c = commands;
        if (c != null) {
            try {
                last.accept(c);
            } catch (RuntimeException e) {
                LOG.debug("cluster: last command before closing failed: {}", e.toString());
            }
            c.close();
        }
        StatefulRedisPubSubConnection<byte[], byte[]> s = subscription;
        if (s != null) {
            s.close();
        }
    }
}
