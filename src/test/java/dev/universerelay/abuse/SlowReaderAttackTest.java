package dev.universerelay.abuse;

import static dev.universerelay.abuse.AttackSupport.refusals;
import static dev.universerelay.abuse.AttackSupport.token;
import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.transport.ConnectionProbe;
import dev.universerelay.transport.RawWebSocket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    EmbeddedServer server;
    @Inject
    ApplicationContext context;
    @Inject
    MeterRegistry meters;

    @Test
    void aReaderThatStopsButKeepsSendingIsClosedWith1013AndReadsIt() throws Exception {
        int port = server.getPort();
        double before = refusals(meters, RefusalReason.SLOW_READER);
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
        try (Bystander bystander = Bystander.join(port, "slow-bystander");
             RawWebSocket stalled = RawWebSocket.openWithReceiveBuffer(port, "slow", token("stalled"), 4096)) {
            ConnectionProbe probe = ConnectionProbe.of(context, "stalled");
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

            RelayTestClient builder = RelayTestClient.join(port, "slow", "builder", BIN);
            for (int batch = 0; batch < 200 && probe.closeCode() < 0; batch++) { // appeared events are never dropped
                ClientMessage[] spawns = new ClientMessage[20];
                for (int i = 0; i < spawns.length; i++) {
                    spawns[i] = new ClientMessage.Spawn(batch * 100L + i + 1, 1, i, batch, 0, 0);
                }
                builder.send(spawns);
                int expected = (batch + 1) * spawns.length;
                await().atMost(Duration.ofSeconds(10)).until(() -> builder.receivedOfType("appeared").size() >= expected);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> probe.closeCode() >= 0);
            assertThat(probe.closeCode()).isEqualTo(1013);
            assertThat(stalled.readCloseCode()).as("read while still sending").isEqualTo(1013);
            assertThat(refusals(meters, RefusalReason.SLOW_READER)).isEqualTo(before + 1);
            bystander.assertStillPlaying();
            builder.close(1000);
        } finally {
            pinger.shutdownNow();
        }
    }
}
