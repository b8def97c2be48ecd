package dev.universerelay.abuse;

import static dev.universerelay.abuse.AttackSupport.refusals;
import static dev.universerelay.abuse.AttackSupport.token;
import static dev.universerelay.abuse.AttackSupport.usedHeap;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The welcome part of a reconnect storm: clients that join a large universe over and over and
 * never read each used to pin a whole snapshot of it (outside every byte cap). Welcomes now count
 * in a node-wide budget until their socket has taken them ({@code relay.websocket.welcome-budget-bytes},
 * 400 kB here: three welcomes of this universe); one past it is closed with 1013; a client whose
 * welcome is not taken within {@code relay.websocket.welcome-timeout} (1 s here) is closed with
 * 1013 too, which gives its part of the budget back, so newcomers that read get in again at once.
 * The storm uses a subject per socket (the per-identity takeover limit is the domain's business).
 */
@MicronautTest
@Property(name = "relay.websocket.welcome-budget-bytes", value = "400000")
@Property(name = "relay.websocket.welcome-timeout", value = "1s")
@Property(name = "relay.limits.max-entities", value = "2000")
@Property(name = "relay.limits.max-players-per-universe", value = "0")
@Property(name = "relay.limits.rate", value = "1000")
@Property(name = "relay.limits.burst", value = "1000")
@Property(name = "relay.session.idle-timeout", value = "10m")
@Property(name = "micronaut.server.netty.child-options.so-sndbuf", value = "16384")
class ReconnectStormAttackTest {
    private static final Logger LOG = LoggerFactory.getLogger(ReconnectStormAttackTest.class);
    private static final int ENTITIES = 1500;
    private static final int STORM = 30;
    private static final long BUDGET = 400_000;

    @Inject
    EmbeddedServer server;
    @Inject
    ApplicationContext context;
    @Inject
    MeterRegistry meters;

    @Test
    void welcomesToClientsThatNeverReadStayWithinTheBudgetAndNewcomersGetInAfterwards() throws Exception {
        int port = server.getPort();
        RelayTestClient builder = RelayTestClient.join(port, "storm", "builder", BIN);
        for (int batch = 0; batch < ENTITIES / 20; batch++) {
            ClientMessage[] spawns = new ClientMessage[20];
            for (int i = 0; i < spawns.length; i++) {
                spawns[i] = new ClientMessage.Spawn(batch * 100L + i + 1, 1, i, batch, 0, 0);
            }
            builder.send(spawns);
            int expected = (batch + 1) * spawns.length;
            await().atMost(Duration.ofSeconds(10)).until(() -> builder.receivedOfType("appeared").size() == expected);
        }
        double refusedBefore = refusals(meters, RefusalReason.WELCOME_BUDGET);
        double stuckBefore = refusals(meters, RefusalReason.SLOW_READER);
        List<RawWebSocket> storm = new ArrayList<>();
        try (Bystander bystander = Bystander.join(port, "storm-bystander")) {
            long heapBefore = usedHeap();
            long maxInFlight = 0;
            for (int i = 0; i < STORM; i++) {
                storm.add(RawWebSocket.openWithReceiveBuffer(port, "storm", token("stormer-" + i), 4096));
                maxInFlight = Math.max(maxInFlight, ConnectionProbe.welcomeBytesInFlight(context));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> refusals(meters, RefusalReason.WELCOME_BUDGET) > refusedBefore);
            maxInFlight = Math.max(maxInFlight, ConnectionProbe.welcomeBytesInFlight(context));
            LOG.info("storm of {}: at most {} welcome bytes in flight, {} refused for the budget", STORM, maxInFlight,
                    refusals(meters, RefusalReason.WELCOME_BUDGET) - refusedBefore);
            assertThat(maxInFlight).isLessThanOrEqualTo(BUDGET);
            bystander.assertStillPlaying();

            // the stuck ones are closed after the welcome timeout, and their budget comes back
            await().atMost(Duration.ofSeconds(15)).until(() -> ConnectionProbe.welcomeBytesInFlight(context) == 0);
            assertThat(refusals(meters, RefusalReason.SLOW_READER)).isGreaterThan(stuckBefore);
            RelayTestClient newcomer = RelayTestClient.join(port, "storm", "newcomer", BIN);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> entities = (List<Map<String, Object>>) newcomer.receivedOfType("welcome").get(0).get("entities");
            assertThat(entities).hasSize(ENTITIES);
            assertThat(usedHeap() - heapBefore).as("heap growth").isLessThan(128L << 20);
            bystander.assertStillPlaying();
            newcomer.close(1000);
        } finally {
            for (RawWebSocket socket : storm) {
                socket.close();
            }
            builder.close(1000);
        }
    }

    @Test
    void takeoversWithOneTokenThatNeverReadLeaveNoWelcomeBehind() throws Exception {
        int port = server.getPort();
        RelayTestClient builder = RelayTestClient.join(port, "takeovers", "owner", BIN);
        for (int batch = 0; batch < ENTITIES / 20; batch++) {
            ClientMessage[] spawns = new ClientMessage[20];
            for (int i = 0; i < spawns.length; i++) {
                spawns[i] = new ClientMessage.Spawn(batch * 100L + i + 1, 1, i, batch, 0, 0);
            }
            builder.send(spawns);
            int expected = (batch + 1) * spawns.length;
            await().atMost(Duration.ofSeconds(10)).until(() -> builder.receivedOfType("appeared").size() == expected);
        }
        String token = token("reconnector");
        List<RawWebSocket> storm = new ArrayList<>();
        try (Bystander bystander = Bystander.join(port, "takeovers-bystander")) {
            long maxInFlight = 0;
            for (int i = 0; i < STORM; i++) { // each takes the player over from the one before (4009)
                try {
                    storm.add(RawWebSocket.openWithReceiveBuffer(port, "takeovers", token, 4096));
                } catch (java.io.IOException refused) {
                    // a handshake limit of the domain may refuse some of them: fine here
                }
                maxInFlight = Math.max(maxInFlight, ConnectionProbe.welcomeBytesInFlight(context));
            }
            assertThat(maxInFlight).isLessThanOrEqualTo(BUDGET);
            bystander.assertStillPlaying();
            // the replaced ones are closed within the close timeouts, the last one after its welcome timeout
            await().atMost(Duration.ofSeconds(20)).until(() -> ConnectionProbe.welcomeBytesInFlight(context) == 0);
            RelayTestClient newcomer = RelayTestClient.join(port, "takeovers", "latecomer", BIN);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> entities = (List<Map<String, Object>>) newcomer.receivedOfType("welcome").get(0).get("entities");
            assertThat(entities).hasSize(ENTITIES);
            bystander.assertStillPlaying();
            newcomer.close(1000);
        } finally {
            for (RawWebSocket socket : storm) {
                socket.close();
            }
            builder.close(1000);
        }
    }
}
