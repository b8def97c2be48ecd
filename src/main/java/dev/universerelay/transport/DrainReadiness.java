package dev.universerelay.transport;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

/** Reports the node not ready while it drains, so load balancers stop sending players to it. */
@Singleton
@Readiness
final class DrainReadiness implements HealthIndicator {
    private final DrainState drain;
    private final ConnectionIndex connections;

    DrainReadiness(DrainState drain, ConnectionIndex connections) {
        this.drain = drain;
        this.connections = connections;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("relay")
                .status(drain.isDraining() ? HealthStatus.DOWN : HealthStatus.UP)
                .details(Map.of("draining", drain.isDraining(), "connections", connections.size()))
                .build());
    }
}
