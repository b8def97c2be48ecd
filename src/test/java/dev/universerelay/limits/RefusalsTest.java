package dev.universerelay.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.universerelay.metrics.RelayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Refusals are all counted, and logged at most once per address per minute. */
class RefusalsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Refusals refusals = new Refusals(new RelayMetrics(registry), now::get);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Refusals.class);

    private ch.qos.logback.classic.Level previous;

    @BeforeEach
    void attach() {
        previous = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // the tests' logback config shows warnings only
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(log);
        logger.setLevel(previous);
    }

    private double counted(RefusalReason reason) {
        var counter = registry.find("relay.refusals").tag("reason", reason.label()).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void everyRefusalIsCountedButAnAddressIsLoggedOncePerMinute() {
        for (int i = 0; i < 1000; i++) {
            refusals.refuse(RefusalReason.ADDRESS_CONNECTIONS, "10.0.0.1", "too many connections");
        }
        refusals.refuse(RefusalReason.ORIGIN, "10.0.0.2", "origin not allowed");

        assertThat(counted(RefusalReason.ADDRESS_CONNECTIONS)).isEqualTo(1000);
        assertThat(counted(RefusalReason.ORIGIN)).isEqualTo(1);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "refused reason=address-connections address=10.0.0.1 too many connections",
                "refused reason=origin address=10.0.0.2 origin not allowed");
        assertThat(registry.find("relay.refusal.log.suppressed").counter().count()).isEqualTo(999);
    }

    @Test
    void aMinuteLaterTheAddressIsLoggedAgainWithHowManyLinesWereLeftOut() {
        refusals.refuse(RefusalReason.BAD_TOKEN, "10.0.0.1", "bad token");
        now.addAndGet(59_999);
        refusals.refuse(RefusalReason.BAD_TOKEN, "10.0.0.1", "bad token");
        refusals.refuse(RefusalReason.BAD_TOKEN, "10.0.0.1", "bad token");
        now.addAndGet(1);
        refusals.refuse(RefusalReason.BAD_TOKEN, "10.0.0.1", "bad token");

        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "refused reason=bad-token address=10.0.0.1 bad token",
                "refused reason=bad-token address=10.0.0.1 bad token (2 more refusals of this address in the last minute not logged)");
    }

    @Test
    void aFloodOfAddressesKeepsTheMemoryBounded() {
        for (int i = 0; i < Refusals.MAX_TRACKED_ADDRESSES * 3; i++) {
            refusals.refuse(RefusalReason.BAD_TOKEN, "addr-" + i, "bad token");
        }
        assertThat(refusals.trackedAddresses()).isLessThanOrEqualTo(Refusals.MAX_TRACKED_ADDRESSES);
        assertThat(counted(RefusalReason.BAD_TOKEN)).isEqualTo(Refusals.MAX_TRACKED_ADDRESSES * 3);
    }
}
