package dev.universerelay.abuse;

import static dev.universerelay.abuse.AttackSupport.usedHeap;
import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    Relay relay;

    @Test
    void welcomesToClientsThatNeverReadStayWithinTheBudgetAndNewcomersGetInAfterwards() throws Exception {
        RelayTestClient builder = relay.join("storm", "builder", BIN).spawnMany(ENTITIES);
        double refusedBefore = relay.refusals(RefusalReason.WELCOME_BUDGET);
        double stuckBefore = relay.refusals(RefusalReason.SLOW_READER);
        List<RawWebSocket> storm = new ArrayList<>();
        try (Bystander bystander = relay.bystander("storm-bystander")) {
            long heapBefore = usedHeap();
            long maxInFlight = 0;
            for (int i = 0; i < STORM; i++) {
                storm.add(relay.neverReadingSocket("storm", "stormer-" + i));
                maxInFlight = Math.max(maxInFlight, relay.welcomeBytesInFlight());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.refusals(RefusalReason.WELCOME_BUDGET) > refusedBefore);
            maxInFlight = Math.max(maxInFlight, relay.welcomeBytesInFlight());
            LOG.info("storm of {}: at most {} welcome bytes in flight, {} refused for the budget", STORM, maxInFlight,
                    relay.refusals(RefusalReason.WELCOME_BUDGET) - refusedBefore);
            assertThat(maxInFlight).isLessThanOrEqualTo(BUDGET);
            bystander.assertStillPlaying();

            // the stuck ones are closed after the welcome timeout, and their budget comes back
            await().atMost(Duration.ofSeconds(15)).until(() -> relay.welcomeBytesInFlight() == 0);
            assertThat(relay.refusals(RefusalReason.SLOW_READER)).isGreaterThan(stuckBefore);
            RelayTestClient newcomer = relay.join("storm", "newcomer", BIN);
            assertThat(newcomer.welcomeEntities()).hasSize(ENTITIES);
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
        RelayTestClient builder = relay.join("takeovers", "owner", BIN).spawnMany(ENTITIES);
        String token = token("reconnector");
        List<RawWebSocket> storm = new ArrayList<>();
        try (Bystander bystander = relay.bystander("takeovers-bystander")) {
            long maxInFlight = 0;
            for (int i = 0; i < STORM; i++) { // each takes the player over from the one before (4009)
                try {
                    storm.add(relay.neverReadingSocketWithToken("takeovers", token));
                } catch (java.io.IOException refused) {
                    // a handshake limit of the domain may refuse some of them: fine here
                }
                maxInFlight = Math.max(maxInFlight, relay.welcomeBytesInFlight());
            }
            assertThat(maxInFlight).isLessThanOrEqualTo(BUDGET);
            bystander.assertStillPlaying();
            // the replaced ones are closed within the close timeouts, the last one after its welcome timeout
            await().atMost(Duration.ofSeconds(20)).until(() -> relay.welcomeBytesInFlight() == 0);
            RelayTestClient newcomer = relay.join("takeovers", "latecomer", BIN);
            assertThat(newcomer.welcomeEntities()).hasSize(ENTITIES);
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
