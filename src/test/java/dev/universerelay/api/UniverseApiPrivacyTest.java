package dev.universerelay.api;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The universes API tells anyone what the protocol tells a player (players, names, entity counts)
 * and no more: spectators, and whether a player is connected or in its resume grace, only for a
 * caller with the admin role.
 */
@MicronautTest
class UniverseApiPrivacyTest {
    @Inject
    Relay relay;
    @Inject
    UniverseRegistry registry;

    private RelayTestClient connect(String universe, String subject, List<String> roles) {
        RelayTestClient client = relay.connect(universe,
                TestTokens.token(subject, roles.isEmpty() ? Map.of() : Map.of("roles", roles)), BIN);
        client.awaitType("welcome");
        return client;
    }

    @Test
    void spectatorsAndGraceAreHiddenFromAnyoneButAnAdmin() throws Exception {
        RelayTestClient ada = connect("private", "ada", List.of());
        RelayTestClient bob = connect("private", "bob", List.of());
        RelayTestClient sam = connect("private", "sam", List.of("spectator"));
        bob.drop(); // bob is in his resume grace
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("private").orElseThrow().members().stream()
                .anyMatch(m -> m.name().equals("bob") && !m.connected()));

        String anyone = relay.get("/api/universes/private").body();
        assertThat(anyone).contains("\"name\":\"ada\"").contains("\"name\":\"bob\"").contains("\"players\":2")
                .doesNotContain("sam").doesNotContain("spectator").doesNotContain("connected");
        String player = relay.call("GET", "/api/universes/private", TestTokens.token("curious")).body();
        assertThat(player).doesNotContain("sam").doesNotContain("spectator").doesNotContain("connected");

        String admin = relay.call("GET", "/api/universes/private",
                TestTokens.token("operator", Map.of("roles", List.of("admin")))).body();
        assertThat(admin).contains("\"name\":\"sam\",\"spectator\":true,\"connected\":true")
                .contains("\"name\":\"bob\",\"spectator\":false,\"connected\":false").contains("\"spectators\":1");
        ada.close(1000);
        sam.close(1000);
    }

    @Test
    void aUniverseOfSpectatorsAloneIsNotListedAndCountsShowNoSpectator() throws Exception {
        RelayTestClient watcher = connect("watched-only", "wanda", List.of("spectator"));
        RelayTestClient player = connect("played", "pia", List.of());
        RelayTestClient spectator = connect("played", "sid", List.of("spectator"));
        String list = relay.get("/api/universes").body();
        assertThat(list).doesNotContain("watched-only").doesNotContain("spectator")
                .contains("{\"name\":\"played\",\"players\":1,\"entities\":0}");
        watcher.close(1000);
        player.close(1000);
        spectator.close(1000);
    }
}
