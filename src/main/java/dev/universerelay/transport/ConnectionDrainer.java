package dev.universerelay.transport;

import dev.universerelay.protocol.CloseCodes;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.inject.Singleton;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties the node without losing events: new handshakes get 503, every connection is closed with
 * 1001 after what was queued for it has been written, and the returned stage completes when the
 * last socket is gone. Micronaut calls it on shutdown (bounded by
 * {@code micronaut.lifecycle.graceful-shutdown.grace-period}); operators can call it through the
 * admin API to take a node out of rotation.
 */
@Singleton
public final class ConnectionDrainer implements GracefulShutdownCapable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionDrainer.class);

    private final DrainState state;
    private final ConnectionIndex connections;

    ConnectionDrainer(DrainState state, ConnectionIndex connections) {
        this.state = state;
        this.connections = connections;
    }

    /** Starts draining (idempotent) and returns a stage that completes when no connection is left. */
    public CompletableFuture<Void> drain() {
        if (!state.isDraining()) {
            state.startDraining();
            LOG.info("draining: closing {} connections with 1001", connections.size());
        }
        for (Connection connection : connections.all()) {
            connection.close(CloseCodes.GOING_AWAY, "server going away");
        }
        return connections.whenEmpty();
    }

    @Override
    public CompletionStage<?> shutdownGracefully() {
        return drain();
    }

    @Override
    public OptionalLong reportActiveTasks() {
        return OptionalLong.of(connections.size());
    }
}
