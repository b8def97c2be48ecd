package dev.universerelay.cluster;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * {@code relay.cluster.*}: whether universes are shared with other nodes, and how (docs/cluster.md).
 *
 * @param mode              {@code local} (default: one node, no external service) or {@code redis}
 *                          (nodes share universes through the Redis at {@code redis.uri})
 * @param nodeId            this node's name in Redis; default: a random one per start. Letters, digits, {@code _ . -}
 * @param heartbeatInterval how often the node renews its heartbeat key and looks for lost nodes, default 1s
 * @param nodeTtl           the heartbeat key's lifetime: a node silent this long is lost, default 5s
 * @param commandTimeout    how long a join or an id block may wait for Redis, default 2s
 * @param entityIdBlock     entity ids a node takes from Redis at a time for a universe, default 1024
 * @param requestQueueSize  commands kept for Redis while it is unreachable; beyond, changes are not
 *                          queued and the node writes its state again after reconnecting, default 100000
 */
@ConfigurationProperties("relay.cluster")
public record ClusterConfiguration(
        @Bindable(defaultValue = "local") String mode,
        @Nullable String nodeId,
        @Bindable(defaultValue = "1s") Duration heartbeatInterval,
        @Bindable(defaultValue = "5s") Duration nodeTtl,
        @Bindable(defaultValue = "2s") Duration commandTimeout,
        @Bindable(defaultValue = "1024") @Min(1) int entityIdBlock,
        @Bindable(defaultValue = "100000") @Min(1) int requestQueueSize) {
}
