package dev.universerelay.abuse;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A reconnect storm with one token (each handshake replacing the open connection of the same
 * {@code sub}, which costs a welcome snapshot and closes the other with 4009) is limited per
 * identity: past the takeover burst the new handshake gets 429 before the upgrade and the open
 * connection is kept, playing.
 */
@MicronautTest
@Property(name = "relay.quotas.takeover-rate", value = "0.5")
@Property(name = "relay.quotas.takeover-burst", value = "3")
class TakeoverStormAttackTest {
    @Inject
    Relay relay;

    @Test
    void takeoversBeyondTheBurstAreRefusedAndTheOpenConnectionStays() {
        try (Bystander bystander = relay.bystander("storm")) {
            String token = TestTokens.token("stormer");
            RelayTestClient current = relay.connect("storm", token, BIN);
            current.awaitType("welcome");
            int replaced = 0;
            int refused = 0;
            long started = System.nanoTime();
            for (int i = 0; i < 50 && refused < 10; i++) {
                try {
                    RelayTestClient next = relay.connect("storm", token, BIN);
                    next.awaitType("welcome");
                    assertThat(current.awaitClose()).isEqualTo(CloseCodes.REPLACED);
                    current = next;
                    replaced++;
                } catch (RelayTestClient.HandshakeRefused e) {
                    assertThat(e.status()).isEqualTo(429);
                    refused++;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            RawHttp.Response once = relay.handshake("storm", token, null);
            assertThat(once.status()).isEqualTo(429);
            assertThat(once.body()).contains("\"status\":429").contains("it stays open");
            assertThat(replaced).as("takeovers in %.1f s with a burst of 3 and 0.5/s", seconds)
                    .isLessThanOrEqualTo(3 + (int) Math.ceil(0.5 * seconds) + 1);
            assertThat(refused).isPositive();
            assertThat(current.isClosed()).isFalse();
            current.send(new ClientMessage.Ping(7));
            current.awaitMessage(m -> "pong".equals(m.get("t")));
            bystander.assertStillPlaying();
            current.close(1000);
        }
    }
}
