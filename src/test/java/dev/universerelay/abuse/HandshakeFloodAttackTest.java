package dev.universerelay.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Handshakes are budgeted per address (before the token is even verified, so a flood of bad
 * tokens costs no signature checks past the burst) and per identity (after it, so one token cannot
 * hammer the node from many addresses): past either, 429 before the upgrade. Addresses are played
 * through {@code X-Forwarded-For} from the trusted 127.0.0.1; the bystander connects from 127.0.0.1.
 */
@MicronautTest
@Property(name = "relay.trusted-proxies", value = "127.0.0.1")
@Property(name = "relay.quotas.handshake-rate", value = "2")
@Property(name = "relay.quotas.handshake-burst", value = "10")
@Property(name = "relay.quotas.identity-handshake-rate", value = "1")
@Property(name = "relay.quotas.identity-handshake-burst", value = "4")
class HandshakeFloodAttackTest {
    @Inject
    Relay relay;

    @Test
    void aFloodOfHandshakesFromOneAddressGets429PastItsBurst() {
        try (Bystander bystander = relay.bystander("flood-bystander")) {
            long started = System.nanoTime();
            int unauthorized = 0;
            int limited = 0;
            for (int i = 0; i < 200 && System.nanoTime() - started < Duration.ofSeconds(20).toNanos(); i++) {
                RawHttp.Response h = relay.handshake("flood", "not-a-token", "203.0.113.30");
                if (h.status() == 401) {
                    unauthorized++;
                } else {
                    assertThat(h.status()).isEqualTo(429);
                    assertThat(h.body()).isEqualTo("{\"status\":429,\"message\":\"too many handshakes from your address; slow down\"}");
                    limited++;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(unauthorized).as("handshakes let through in %.1f s", seconds)
                    .isLessThanOrEqualTo(10 + (int) Math.ceil(2 * seconds) + 1);
            assertThat(limited).isPositive();
            assertThat(relay.handshake("flood", "not-a-token", "198.51.100.30").status())
                    .as("another address").isEqualTo(401);
            bystander.assertStillPlaying();
        }
    }

    @Test
    void oneIdentityFromManyAddressesGets429PastItsBurst() {
        String token = TestTokens.token("hopper");
        long started = System.nanoTime();
        int upgraded = 0;
        int limited = 0;
        for (int i = 0; i < 40; i++) {
            RawHttp.Response h = relay.handshake("hop", token, "192.0.2." + (100 + i));
            if (h.status() == 101) {
                upgraded++;
            } else {
                assertThat(h.status()).isEqualTo(429);
                assertThat(h.body()).contains("too many handshakes with your identity");
                limited++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(upgraded).as("handshakes of one identity in %.1f s", seconds).isLessThanOrEqualTo(4 + (int) Math.ceil(seconds) + 1);
        assertThat(limited).isPositive();
    }
}
