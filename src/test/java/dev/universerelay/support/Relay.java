package dev.universerelay.support;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.transport.ConnectionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;

/**
 * The relay a {@code @MicronautTest} started, as a test sees it: everything of
 * {@link RelayEndpoint} (players, bystanders, raw sockets, metrics) plus what only a test in the
 * same process can read (what the node holds for a connection, refusal counters). A test class says
 * {@code @MicronautTest} and {@code @Inject Relay relay} instead of repeating the server, context
 * and meter injections and the port plumbing. A bean of the test context only.
 */
@Singleton
public final class Relay implements RelayEndpoint {
    private final EmbeddedServer server;
    private final ApplicationContext context;
    private final MeterRegistry meters;

    Relay(EmbeddedServer server, ApplicationContext context, MeterRegistry meters) {
        this.server = server;
        this.context = context;
        this.meters = meters;
    }

    @Override
    public int port() {
        return server.getPort();
    }

    public ApplicationContext context() {
        return context;
    }

    /** What the node holds for the connection of {@code subject}, once it has joined. */
    public ConnectionProbe probe(String subject) {
        return ConnectionProbe.of(context, subject);
    }

    /** Welcome bytes the node holds right now. */
    public long welcomeBytesInFlight() {
        return ConnectionProbe.welcomeBytesInFlight(context);
    }

    /**
     * Accepted connections from {@code address} not upgraded yet, as the node counts them (a
     * client's {@code connect()} returns before the server's event loop has seen its connection).
     */
    public int pendingFrom(String address) {
        return ConnectionProbe.pendingFrom(context, address);
    }

    /** {@code relay_refusals_total{reason}} so far. */
    public double refusals(RefusalReason reason) {
        Counter counter = meters.find("relay.refusals").tag("reason", reason.label()).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A bean of this relay's context. */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }
}
