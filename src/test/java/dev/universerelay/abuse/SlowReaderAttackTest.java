package dev.universerelay.abuse;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.transport.ConnectionProbe;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading but keeps sending (a ping every 50 ms, within its rate): once what
 * cannot be dropped fills its queue past the cap it is closed with 1013, and the 1013 close frame
 * reaches it when it reads again, although it never stopped sending: the server keeps reading and
 * discarding after its Close instead of closing TCP on unread input (which would reset the
 * connection and lose the frame).
 */
@MicronautTest
@Property(name = "relay.limits.max-pending-bytes", value = "16384")
@Property(name = "relay.limits.max-entities", value = "5000")
@Property(name = "relay.limits.rate", value = "1000")
@Property(name = "relay.limits.burst", value = "1000")
@Property(name = "relay.session.idle-timeout", value = "10m")
@Property(name = "micronaut.server.netty.child-options.so-sndbuf", value = "16384")
class SlowReaderAttackTest {
    @Inject
    Relay relay;

    @Test
    void aReaderThatStopsButKeepsSendingIsClosedWith1013AndReadsIt() throws Exception {
        double before = relay.refusals(RefusalReason.SLOW_READER);
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
        try (Bystander bystander = relay.bystander("slow-bystander");
             RawWebSocket stalled = relay.neverReadingSocket("slow", "stalled")) {
            ConnectionProbe probe = relay.probe("stalled");
            AtomicInteger pings = new AtomicInteger();
            pinger.scheduleAtFixedRate(() -> {
                int c = pings.incrementAndGet();
                if (c <= 2000) {
                    try {
                        stalled.send(RawWebSocket.frame(true, 0, RawWebSocket.TEXT,
                                ("{\"t\":\"ping\",\"c\":" + c + "}").getBytes(StandardCharsets.UTF_8)));
                    } catch (IOException closed) {
                        throw new java.io.UncheckedIOException(closed); // ends the schedule
                    }
                }
            }, 0, 50, TimeUnit.MILLISECONDS);

            RelayTestClient builder = relay.join("slow", "builder", BIN);
            for (int row = 0; row < 200 && probe.closeCode() < 0; row++) { // appeared events are never dropped
                builder.spawnRow(row, 20);
            }
            assertThat(probe.awaitCloseCode()).isEqualTo(1013);
            assertThat(stalled.readCloseCode()).as("read while still sending").isEqualTo(1013);
            assertThat(relay.refusals(RefusalReason.SLOW_READER)).isEqualTo(before + 1);
            bystander.assertStillPlaying();
            builder.close(1000);
        } finally {
            pinger.shutdownNow();
        }
    }
}
