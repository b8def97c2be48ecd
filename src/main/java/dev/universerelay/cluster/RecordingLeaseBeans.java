package dev.universerelay.cluster;

import dev.universerelay.recording.RecordingLeases;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** Which {@link RecordingLeases} the node uses: Redis ones with other nodes, none alone. */
@Factory
final class RecordingLeaseBeans {
    /** Five renewals' worth (the keeper renews every second): a dead recorder is replaced within about 6 s. */
    static final java.time.Duration LEASE_TTL = java.time.Duration.ofSeconds(5);

    @Singleton
    @Requires(property = "relay.cluster.mode", value = "redis")
    RecordingLeases redisLeases(RedisCluster cluster) {
        return cluster.recordingLeases(LEASE_TTL);
    }

    @Singleton
    @Requires(property = "relay.cluster.mode", notEquals = "redis")
    RecordingLeases singleNodeLeases() {
        return RecordingLeases.SINGLE_NODE;
    }
}
