package dev.universerelay.api;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Operator actions behind the admin role, and the universe detail view. */
@MicronautTest
class AdminApiTest {
    @Inject
    Relay relay;

    private static String admin() {
        return TestTokens.token("operator", Map.of("roles", List.of("admin")));
    }

    @Test
    void adminActionsNeedTheAdminRole() throws Exception {
        relay.join("guarded", "ada", BIN);
        String player = relay.login("mallory");
        assertThat(relay.call("DELETE", "/api/universes/guarded", null).statusCode()).isEqualTo(401);
        assertThat(relay.call("DELETE", "/api/universes/guarded", player).statusCode()).isEqualTo(403);
        assertThat(relay.call("DELETE", "/api/universes/guarded/players/1", player).statusCode()).isEqualTo(403);
        assertThat(relay.call("POST", "/api/admin/drain", player).statusCode()).isEqualTo(403);
        assertThat(relay.get("/api/universes").body()).contains("guarded");
    }

    @Test
    void anAdminKicksAPlayerAndOthersSeeItLeave() throws Exception {
        RelayTestClient ada = relay.join("kick", "ada", BIN);
        RelayTestClient bob = relay.join("kick", "bob", BIN);
        long entity = bob.spawn(1, 0, 0, 0, 0);
        long bobNumber = number(bob.receivedOfType("welcome").get(0), "you");

        String detail = relay.get("/api/universes/kick").body();
        assertThat(detail).contains("\"players\":2").contains("\"entities\":1").contains("\"created\":").contains("\"name\":\"bob\"");

        assertThat(relay.call("DELETE", "/api/universes/kick/players/" + bobNumber, admin()).statusCode()).isEqualTo(204);
        assertThat(bob.awaitClose()).isEqualTo(4003);
        assertThat(number(ada.awaitType("left"), "p")).isEqualTo(bobNumber);
        assertThat(ada.receivedOfType("destroyed")).extracting(m -> number(m, "id")).containsExactly(entity);
        assertThat(relay.call("DELETE", "/api/universes/kick/players/" + bobNumber, admin()).statusCode()).isEqualTo(404);
    }

    @Test
    void anAdminClosesAUniverse() throws Exception {
        RelayTestClient ada = relay.join("doomed", "ada", BIN);
        assertThat(relay.call("DELETE", "/api/universes/doomed", admin()).statusCode()).isEqualTo(204);
        assertThat(ada.awaitClose()).isEqualTo(4003);
        assertThat(relay.get("/api/universes/doomed").statusCode()).isEqualTo(404);
        assertThat(relay.call("DELETE", "/api/universes/doomed", admin()).statusCode()).isEqualTo(404);
    }
}
