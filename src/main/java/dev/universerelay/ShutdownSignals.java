package dev.universerelay;

import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a graceful stop that exits with status 0. The JVM's default
 * reports a signal death (143), which orchestrators and the contract read as a failure, although
 * draining is the normal way for a relay node to go.
 */
final class ShutdownSignals {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    static void install(ApplicationContext context) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop(context, signal.getName()));
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
    }

    private static void stop(ApplicationContext context, String signal) {
        Thread stopper = new Thread(() -> {
            LOG.info("SIG{} received: draining connections, then stopping", signal);
            try {
                if (context.isRunning()) {
                    context.close(); // graceful shutdown: drains, bounded by its grace period
                }
            } catch (RuntimeException e) {
                LOG.error("error while stopping", e);
            }
            System.exit(0);
        }, "relay-shutdown");
        stopper.start();
    }
}
