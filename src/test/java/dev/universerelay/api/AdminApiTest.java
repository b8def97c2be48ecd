package dev.universerelay.api;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Operator actions behind the admin role, and the universe detail view. */
@MicronautTest
class AdminApiTest {
    @Inject
    EmbeddedServer server;

    private HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String admin() {
        return TestTokens.hs256(TestTokens.claims("operator", Map.of("roles", List.of("admin"))));
    }

    @Test
    void adminActionsNeedTheAdminRole() throws Exception {
        RelayTestClient.join(server.getPort(), "guarded", "ada", BIN);
        String player = RelayTestClient.login(server.getPort(), "mallory");
        assertThat(call("DELETE", "/api/universes/guarded", null).statusCode()).isEqualTo(401);
        assertThat(call("DELETE", "/api/universes/guarded", player).statusCode()).isEqualTo(403);
        assertThat(call("DELETE", "/api/universes/guarded/players/1", player).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/admin/drain", player).statusCode()).isEqualTo(403);
        assertThat(RelayTestClient.get(server.getPort(), "/api/universes").body()).contains("guarded");
    }

    @Test
    void anAdminKicksAPlayerAndOthersSeeItLeave() throws Exception {
        RelayTestClient ada = RelayTestClient.join(server.getPort(), "kick", "ada", BIN);
        RelayTestClient bob = RelayTestClient.join(server.getPort(), "kick", "bob", BIN);
        long entity = bob.spawn(1, 0, 0, 0, 0);
        long bobNumber = number(bob.receivedOfType("welcome").get(0), "you");

        String detail = RelayTestClient.get(server.getPort(), "/api/universes/kick").body();
        assertThat(detail).contains("\"players\":2").contains("\"entities\":1").contains("\"created\":").contains("\"name\":\"bob\"");

        assertThat(call("DELETE", "/api/universes/kick/players/" + bobNumber, admin()).statusCode()).isEqualTo(204);
        assertThat(bob.awaitClose()).isEqualTo(4003);
        assertThat(number(ada.awaitType("left"), "p")).isEqualTo(bobNumber);
        assertThat(ada.receivedOfType("destroyed")).extracting(m -> number(m, "id")).containsExactly(entity);
        assertThat(call("DELETE", "/api/universes/kick/players/" + bobNumber, admin()).statusCode()).isEqualTo(404);
    }

    @Test
    void anAdminClosesAUniverse() throws Exception {
        RelayTestClient ada = RelayTestClient.join(server.getPort(), "doomed", "ada", BIN);
        assertThat(call("DELETE", "/api/universes/doomed", admin()).statusCode()).isEqualTo(204);
        assertThat(ada.awaitClose()).isEqualTo(4003);
        assertThat(RelayTestClient.get(server.getPort(), "/api/universes/doomed").statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/universes/doomed", admin()).statusCode()).isEqualTo(404);
    }
}
