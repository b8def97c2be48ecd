package dev.universerelay.cluster;

import dev.universerelay.universe.Cluster;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Reports the node not ready while it cannot reach the nodes it shares universes with, so that a
 * load balancer sends new players elsewhere; players already on it keep playing meanwhile.
 */
@Singleton
@Readiness
final class ClusterReadiness implements HealthIndicator {
    private final Cluster cluster;

    ClusterReadiness(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("cluster")
                .status(cluster.isReady() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("shared", !(cluster instanceof LocalCluster)))
                .build());
    }
}
