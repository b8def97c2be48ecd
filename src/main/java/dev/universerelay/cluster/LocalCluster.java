package dev.universerelay.cluster;

import dev.universerelay.universe.Cluster;
import dev.universerelay.universe.PlayerIdentity;
import dev.universerelay.universe.Replication;
import dev.universerelay.universe.Universe;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Context;

/** The default: this node alone serves its universes, and nothing leaves the process. */
@Context
@Requires(property = "relay.cluster.mode", notEquals = "redis")
final class LocalCluster implements Cluster {

    LocalCluster(ClusterConfiguration config) {
        if (!"local".equals(config.mode())) {
            throw new IllegalArgumentException("relay.cluster.mode must be local or redis (got \"" + config.mode() + "\")");
        }
    }

    @Override
    public Replication replicate(Universe universe) {
        return SINGLE_NODE.replicate(universe);
    }

    @Override
    public Claim claim(String universe, PlayerIdentity identity, int maxPlayers) {
        return SINGLE_NODE.claim(universe, identity, maxPlayers);
    }

    @Override
    public boolean isReady() {
        return true;
    }
}
