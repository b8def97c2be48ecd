package dev.universerelay.cluster;

import dev.universerelay.protocol.CloseCodes;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's periodic work with the others, one round per {@code relay.cluster.heartbeat-interval}:
 * renew its heartbeat, catch up after it may have missed changes, notice lost nodes and ended grace
 * periods (each handled once, by whichever node's script runs first), and learn that it was given
 * up itself. Rounds never overlap (one at a time, under this object's monitor), and wait for Redis
 * on the caller's thread with no other lock held.
 */
final class ClusterHeartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterHeartbeat.class);
    private static final int ORPHANS_PER_BEAT = 200;

    private final RedisCluster.Parts parts;
    private final String nodeId;
    private final long graceMillis;
    private final long nodeTtlNanos;
    private final Counter lostNodes;
    private final Counter resyncs;
    /** Whether this node's first heartbeat reached Redis: from then on a missing entry means it was given up. */
    private boolean registered;
    /**
     * When this node may next judge other nodes lost: a node TTL after it (re)gained Redis, so that
     * after an outage every node has had time to renew its own heartbeat first.
     */
    private long judgeFromNanos;

    ClusterHeartbeat(RedisCluster.Parts parts, String nodeId, long graceMillis, long nodeTtlNanos, Counter lostNodes,
                     Counter resyncs) {
        this.parts = parts;
        this.nodeId = nodeId;
        this.graceMillis = graceMillis;
        this.nodeTtlNanos = nodeTtlNanos;
        this.lostNodes = lostNodes;
        this.resyncs = resyncs;
    }

    /** One round; the node is ready afterwards when it reached Redis. */
    synchronized void beat() {
        RedisConnections connections = parts.connections();
        if (!connections.connect()) {
            return;
        }
        boolean wasReady = connections.isReady();
        try {
            boolean known = parts.scripts().heartbeat(!registered).known();
            boolean recovering = registered && (!wasReady || connections.subscriptionCut() || parts.writer().takeFailure());
            if (!known) {
                evicted();
            } else if (recovering && connections.subscriptionOpen()) {
                connections.clearSubscriptionCut();
                catchUp();
            }
            registered = true;
            if (!wasReady) {
                LOG.info("cluster: node {} connected to Redis and ready", nodeId);
                judgeFromNanos = System.nanoTime() + nodeTtlNanos;
            }
            connections.ready(true);
            if (System.nanoTime() - judgeFromNanos >= 0) {
                long lost = parts.scripts().detectLost(graceMillis).count();
                if (lost > 0) {
                    lostNodes.increment(lost);
                    LOG.warn("cluster: node {} found {} lost node(s); their players wait {} ms for a resume", nodeId, lost,
                            graceMillis);
                }
            }
            parts.scripts().expireOrphans(ORPHANS_PER_BEAT);
        } catch (RuntimeException e) {
            if (connections.isReady()) {
                LOG.warn("cluster: node {} lost Redis ({}); not ready, local players keep playing", nodeId, e.toString());
            }
            connections.ready(false);
        }
    }

    /** The others gave this node up while it could not reach Redis: its clients must start afresh. */
    private void evicted() {
        LOG.warn("cluster: node {} was given up by the other nodes while away; closing its {} universes' connections "
                + "with 1013 so that clients reconnect", nodeId, parts.subscriptions().size());
        for (RedisReplication replication : parts.subscriptions().all()) {
            replication.universe().abandon(CloseCodes.TRY_AGAIN_LATER, "this node lost touch with the others; please reconnect");
        }
        parts.scripts().heartbeat(true);
    }

    /**
     * After an outage short enough that the others did not give this node up: write this node's
     * state again (its changes during the outage were not written), remove from Redis what its
     * players did away with meanwhile, and bring its copies of the others' state up to date.
     */
    private void catchUp() {
        resyncs.increment();
        LOG.info("cluster: node {} may have missed changes (Redis or its subscription was cut); catching up in {} universes",
                nodeId, parts.subscriptions().size());
        for (RedisReplication replication : parts.subscriptions().all()) {
            replication.catchUp(nodeId);
        }
    }
}
