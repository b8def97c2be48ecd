package dev.universerelay.abuse;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One address cannot lock a named universe by filling its player slots: its players, those in
 * their resume grace included, hold at most {@code address-player-share} of
 * {@code max-players-per-universe} (here a quarter of 12, so 3); the next one is closed with 4004,
 * while players from other addresses still get in and a member of the address may still resume.
 * Client addresses are played through {@code X-Forwarded-For} from the trusted 127.0.0.1 (the
 * bystander's two players come from 127.0.0.1 itself and take two of the slots).
 */
@MicronautTest
@Property(name = "relay.trusted-proxies", value = "127.0.0.1")
@Property(name = "relay.limits.max-players-per-universe", value = "12")
@Property(name = "relay.quotas.address-player-share", value = "0.25")
@Property(name = "relay.quotas.min-players-per-address", value = "2")
class UniverseSlotAttackTest {
    private static final String ATTACKER = "203.0.113.9";

    @Inject
    Relay relay;

    private RelayTestClient connect(String universe, String subject, String address) {
        return relay.connectWithQuery(universe, "access_token=" + TestTokens.token(subject), BIN,
                Map.of("X-Forwarded-For", address));
    }

    @Test
    void oneAddressFillsAtMostItsShareAndDroppingItsPlayersFreesNothing() {
        try (Bystander bystander = relay.bystander("alpha")) {
            List<RelayTestClient> attackers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RelayTestClient c = connect("alpha", "filler-" + i, ATTACKER);
                c.awaitType("welcome");
                attackers.add(c);
            }
            // the attack of the finding: many identities from one address, bounded here at 20
            for (int i = 3; i < 20; i++) {
                RelayTestClient refused = connect("alpha", "filler-" + i, ATTACKER);
                assertThat(refused.awaitClose()).isEqualTo(CloseCodes.UNIVERSE_FULL);
            }
            bystander.assertStillPlaying();
            // players in their resume grace keep counting: dropping and reconnecting new identities gets nothing more
            attackers.forEach(RelayTestClient::drop);
            RelayTestClient rotated = connect("alpha", "filler-rotated", ATTACKER);
            assertThat(rotated.awaitClose()).isEqualTo(CloseCodes.UNIVERSE_FULL);
            // ...while a dropped member of that address may still resume its own slot
            RelayTestClient resumed = connect("alpha", "filler-0", ATTACKER);
            assertThat(resumed.awaitType("welcome")).isNotNull();
            // a real player from elsewhere gets in
            RelayTestClient real = connect("alpha", "real-player", "198.51.100.7");
            assertThat(real.awaitType("welcome")).isNotNull();
            bystander.assertStillPlaying();
            assertThat(relay.metric("relay_refusals_total")).isGreaterThanOrEqualTo(18);
            resumed.close(1000);
            real.close(1000);
        }
    }

    @Test
    void spectatorsDoNotTakeTheAddressShare() {
        for (int i = 0; i < 3; i++) {
            RelayTestClient c = connect("beta", "beta-player-" + i, "203.0.113.10");
            c.awaitType("welcome");
        }
        RelayTestClient spectator = relay.connectWithQuery("beta",
                "access_token=" + TestTokens.token("beta-watcher", Map.of("roles", List.of("spectator"))),
                BIN, Map.of("X-Forwarded-For", "203.0.113.10"));
        assertThat(spectator.awaitType("welcome")).isNotNull();
    }
}
