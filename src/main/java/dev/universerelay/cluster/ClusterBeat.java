package dev.universerelay.cluster;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/** Runs the cluster's heartbeat (see {@link RedisCluster#beat}) on the scheduler. */
@Singleton
@Requires(property = "relay.cluster.mode", value = "redis")
final class ClusterBeat {
    private final RedisCluster cluster;

    ClusterBeat(RedisCluster cluster) {
        this.cluster = cluster;
    }

    @Scheduled(fixedDelay = "${relay.cluster.heartbeat-interval:1s}", initialDelay = "${relay.cluster.heartbeat-interval:1s}")
    void beat() {
        cluster.beat();
    }
}
