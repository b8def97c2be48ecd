package dev.universerelay.cluster;

import dev.universerelay.universe.ReplicatedChange;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The universes this node receives other nodes' changes for, by channel: subscribes and
 * unsubscribes their channels, and hands each message that arrives to its universe's replication.
 *
 * <p>A universe that closes and one of the same name that opens right after share a channel, so
 * the map and the subscription commands change together under one lock (never held across a
 * wait: the commands are sent without waiting, Lettuce keeps their order on the connection), and
 * an unsubscribe never follows the newer universe's subscribe.
 */
final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    private final ConcurrentHashMap<String, RedisReplication> byChannel = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> connection;
    private final byte[] nodeIdBytes;
    private final Duration timeout;
    private final Counter received;

    Subscriptions(Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> connection, String nodeId, Duration timeout,
                  Counter received) {
        this.connection = connection;
        this.nodeIdBytes = RedisKeys.bytes(nodeId);
        this.timeout = timeout;
        this.received = received;
    }

    /** Subscribes to a universe's channel and waits (bounded) until Redis confirms. */
    void attach(RedisReplication replication) {
        Future<Void> subscribed;
        synchronized (lock) {
            byChannel.put(replication.keys.channelName(), replication);
            subscribed = connection.get().async().subscribe(replication.keys.channel()).toCompletableFuture();
        }
        try {
            subscribed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot subscribe to " + replication.keys.channelName(), e);
        }
    }

    /** Stops receiving a universe's changes, unless a newer universe of that name took its channel. Never waits. */
    void detach(RedisReplication replication) {
        synchronized (lock) {
            if (!byChannel.remove(replication.keys.channelName(), replication)) {
                return;
            }
            StatefulRedisPubSubConnection<byte[], byte[]> c = connection.get();
            if (c != null) {
                try {
                    c.async().unsubscribe(replication.keys.channel());
                } catch (RuntimeException e) {
                    LOG.debug("unsubscribe from {} failed: {}", replication.keys.channelName(), e.toString());
                }
            }
        }
    }

    /** The replications of every universe this node serves. */
    List<RedisReplication> all() {
        return List.copyOf(byChannel.values());
    }

    int size() {
        return byChannel.size();
    }

    /** A message on a subscribed channel, on Lettuce's I/O thread, in Redis's order. */
    void receive(byte[] channel, byte[] message) {
        RedisReplication replication = byChannel.get(new String(channel, StandardCharsets.UTF_8));
        if (replication == null) {
            return;
        }
        if (ClusterCodec.isFrom(message, nodeIdBytes)) {
            return; // this node's own change, applied here already
        }
        try {
            for (ReplicatedChange change : ClusterCodec.decodeAll(message)) {
                received.increment();
                replication.deliver(change);
            }
        } catch (RuntimeException e) {
            LOG.warn("cluster: ignored a message on {}: {}", replication.keys.channelName(), e.toString());
        }
    }
}
