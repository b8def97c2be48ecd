package dev.universerelay;

import dev.universerelay.transport.ConnectionDrainer;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
                drainFirst(context);
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

    /**
     * Drains before the context closes: Micronaut's own graceful shutdown closes WebSocket channels
     * without a close frame, which clients would see as 1006 instead of 1001.
     */
    private static void drainFirst(ApplicationContext context) {
        Duration timeout = context.getProperty("relay.session.drain-timeout", Duration.class).orElse(Duration.ofSeconds(10));
        try {
            context.getBean(ConnectionDrainer.class).drain().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("drain did not finish within {}; stopping anyway", timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.error("drain failed", e.getCause());
        }
    }
}
