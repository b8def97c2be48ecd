package dev.universerelay.console;

import dev.universerelay.cluster.ClusterConfiguration;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** The board of a node without a cluster: it is alone, named by {@code relay.cluster.node-id} or "local". */
@Factory
final class SingleNodeBoard {

    @Singleton
    @Requires(property = "relay.cluster.mode", notEquals = "redis")
    NodeBoard alone(ClusterConfiguration config) {
        return NodeBoard.alone(config.nodeId() != null ? config.nodeId() : "local");
    }
}
