package dev.universerelay.abuse;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.Bystander;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Someone without the admin role probing the console's API: every call is refused before any
 * work (401/403), nothing is drained, closed or minted, and a bystander keeps playing. An admin's
 * answers stay bounded however many universes there are.
 */
@MicronautTest
class ConsoleProbeAttackTest {
    @Inject
    Relay relay;

    private HttpResponse<String> call(String method, String path, String token) {
        return relay.call(method, path, token);
    }

    @Test
    void probesWithoutTheAdminRoleAreRefusedAndChangeNothing() throws Exception {
        try (Bystander bystander = Bystander.join(relay.port(), "console-probe-bystander")) {
            RelayTestClient victim = RelayTestClient.join(relay.port(), "console-probe", "victim", BIN);
            String player = TestTokens.hs256(TestTokens.claims("prober", Map.of()));
            String forged = TestTokens.hs256(TestTokens.claims("forger", Map.of("roles", List.of("admin"))),
                    "another-secret-that-is-at-least-32-bytes-long");
            String[][] calls = {
                    {"POST", "/api/console/nodes/local/drain"},
                    {"POST", "/api/console/universes/console-probe/watch"},
                    {"DELETE", "/api/universes/console-probe/players/" + victim.you()},
                    {"DELETE", "/api/universes/console-probe"},
                    {"GET", "/api/console/universes/console-probe"},
            };
            long started = System.nanoTime();
            for (int i = 0; i < 300 && System.nanoTime() - started < Duration.ofSeconds(20).toNanos(); i++) {
                String[] c = calls[i % calls.length];
                String token = i % 3 == 0 ? null : i % 3 == 1 ? player : forged;
                HttpResponse<String> response = call(c[0], c[1], token);
                assertThat(response.statusCode()).as("%s %s", c[0], c[1]).isEqualTo(token == player ? 403 : 401);
                assertThat(response.body()).doesNotContain("access_token").doesNotContain("127.0.0.1");
            }
            assertThat(RelayTestClient.get(relay.port(), "/health/readiness").statusCode()).isEqualTo(200);
            assertThat(victim.isClosed()).isFalse();
            bystander.assertStillPlaying();
        }
    }

    @Test
    void anAdminsListIsCappedHoweverManyUniversesThereAre() throws Exception {
        String admin = TestTokens.hs256(TestTokens.claims("operator", Map.of("roles", List.of("admin"))));
        for (int i = 0; i < 105; i++) {
            RelayTestClient.join(relay.port(), "console-many-" + i, "p" + i, BIN);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, Object> list = RelayTestClient.parseObject(call("GET", "/api/console/universes?sort=name", admin).body());
            assertThat(list.get("total")).as("no sample yet").isInstanceOf(Number.class);
            assertThat(((Number) list.get("total")).intValue()).isGreaterThanOrEqualTo(105);
            assertThat((List<?>) list.get("universes")).hasSize(100);
        });
    }
}
