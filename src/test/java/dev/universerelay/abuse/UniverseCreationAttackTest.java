package dev.universerelay.abuse;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One address or identity cannot fill the node's universe cap: each may create
 * {@code universes-per-minute} universes a minute and hold {@code universes-held} that it created
 * and that still exist; beyond that a handshake that would create one more gets 429 before the
 * upgrade, with the reason in the body, while joining existing universes and other addresses'
 * creations go on. Client addresses are played through {@code X-Forwarded-For} from the trusted
 * 127.0.0.1; the bystander connects from 127.0.0.1 itself.
 */
@MicronautTest
@Property(name = "relay.trusted-proxies", value = "127.0.0.1")
@Property(name = "relay.session.max-universes", value = "40")
@Property(name = "relay.quotas.universes-per-minute", value = "5")
@Property(name = "relay.quotas.universes-held", value = "3")
class UniverseCreationAttackTest {
    @Inject
    Relay relay;
    @Inject
    UniverseRegistry registry;

    private RelayTestClient join(String universe, String subject, String address) {
        RelayTestClient client = relay.connectWithQuery(universe, "access_token=" + token(subject), BIN,
                Map.of("X-Forwarded-For", address));
        client.awaitType("welcome");
        return client;
    }

    @Test
    void oneGuestTokenChurningFreshUniversesCreatesOnlyItsShareAndTheNodeStaysOpen() {
        try (Bystander bystander = relay.bystander("creation-bystander")) {
            String guest = relay.login("churner");
            int created = 0;
            int refused = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; i < 300 && System.nanoTime() < deadline; i++) {
                RawHttp.Response h = relay.handshake("churn-" + i, guest, "203.0.113.4");
                if (h.status() == 101) {
                    created++;
                } else {
                    assertThat(h.status()).isEqualTo(429);
                    assertThat(h.body()).contains("\"status\":429").contains("universes");
                    refused++;
                }
                if (i % 50 == 0) {
                    bystander.assertStillPlaying();
                }
            }
            assertThat(created).as("universes one address and identity created").isLessThanOrEqualTo(3);
            assertThat(refused).isGreaterThanOrEqualTo(297);
            assertThat(registry.size()).as("universes on the node, other tests' leftovers included").isLessThanOrEqualTo(12);
            // another address still creates a universe, and anyone still joins existing ones
            RelayTestClient honest = join("fresh-game", "honest", "198.51.100.1");
            RelayTestClient visitor = join("creation-bystander", "visitor", "203.0.113.4");
            bystander.assertStillPlaying();
            assertThat(relay.metric("relay_refusals_total")).isGreaterThanOrEqualTo(refused);
            honest.close(1000);
            visitor.close(1000);
        }
    }

    @Test
    void anAddressHoldsAtMostItsUniversesUntilOneEmpties() {
        List<RelayTestClient> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(join("held-" + i, "holder-" + i, "203.0.113.1"));
        }
        RawHttp.Response fourth = relay.handshake("held-3", token("holder-3"), "203.0.113.1");
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.body()).contains("your address holds 3 universes");
        held.remove(0).close(1000); // a clean close: held-0 empties and is forgotten
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("held-0").isEmpty());
        held.add(join("held-3", "holder-3", "203.0.113.1"));
        held.forEach(c -> c.close(1000));
    }

    @Test
    void anAddressCreatesAtMostItsUniversesPerMinuteEvenWhenEachEmpties() {
        for (int i = 0; i < 5; i++) {
            RelayTestClient c = join("minute-" + i, "minute-" + i, "203.0.113.2");
            c.close(1000);
            String name = "minute-" + i;
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(name).isEmpty());
        }
        RawHttp.Response sixth = relay.handshake("minute-5", token("minute-5"), "203.0.113.2");
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.body()).contains("in the last minute");
    }

    @Test
    void anIdentityHoldsAtMostItsUniversesFromAnyAddress() {
        List<RelayTestClient> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(join("drift-" + i, "drifter", "192.0.2." + (10 + i)));
        }
        RawHttp.Response fourth = relay.handshake("drift-3", token("drifter"), "192.0.2.13");
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.body()).contains("your identity holds 3 universes");
        held.forEach(c -> c.close(1000));
    }
}
