package dev.universerelay.api;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.parseObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Draining this node from the console (a context of its own: the node stays drained). */
@MicronautTest
class ConsoleDrainTest {
    @Inject
    Relay relay;

    private HttpResponse<String> call(String method, String path) {
        return relay.call(method, path, ConsoleApiTest.admin());
    }

    @Test
    @SuppressWarnings("unchecked")
    void drainingThisNodeSendsItsPlayersAwayAndShowsItDraining() throws Exception {
        RelayTestClient ada = RelayTestClient.join(relay.port(), "console-drained", "ada", BIN);
        HttpResponse<String> answer = call("POST", "/api/console/nodes/local/drain");
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.body()).isEqualTo("{\"draining\":true}");
        assertThat(ada.awaitClose()).isEqualTo(1001);
        assertThat(RelayTestClient.get(relay.port(), "/health/readiness").statusCode()).isEqualTo(503);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Object nodes = parseObject(call("GET", "/api/console/overview").body()).get("nodes");
            assertThat(nodes).as("no sample yet").isNotNull(); // empty lists are left out of JSON
            assertThat(((List<Map<String, Object>>) nodes).get(0)).containsEntry("node", "local").containsEntry("state", "draining");
        });
    }
}
