package dev.universerelay.api;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The HTTP API of protocol section 10. */
@MicronautTest
class HttpApiTest {
    @Inject
    Relay relay;

    @Test
    void guestLoginAnswersAnOAuthStyleTokenAndExplainsBadNames() {
        HttpResponse<String> ok = relay.post("/api/login", "{\"name\":\"ada\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        var body = RelayTestClient.parseObject(ok.body());
        assertThat(body.get("token_type")).isEqualTo("Bearer");
        assertThat(RelayTestClient.number(body, "expires_in")).isEqualTo(3600);
        assertThat((String) body.get("access_token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        for (String bad : new String[] {"{\"name\":\"a da\"}", "{\"name\":\"\"}", "{}", "{\"name\":5}", "{\"name\":\"" + "x".repeat(33) + "\"}"}) {
            HttpResponse<String> refused = relay.post("/api/login", bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).as(bad).contains("name");
        }
        assertThat(relay.post("/api/login", "{broken").statusCode()).isEqualTo(400);
    }

    @Test
    void universesAreListedWithTheirPlayersAndEntities() {
        RelayTestClient ada = relay.join("listed", "ada", BIN);
        relay.join("listed", "bob", BIN);
        ada.spawn(1, 0, 0, 0, 0);
        ada.send(new ClientMessage.Spawn(2, 1, 0, 0, 0, 0)).awaitMessage(m -> "appeared".equals(m.get("t")) && RelayTestClient.number(m, "ref") == 2);
        assertThat(relay.get("/api/universes").body())
                .contains("{\"name\":\"listed\",\"players\":2,\"entities\":2}");
    }

    @Test
    void healthMetricsAndTheGameAreServed() {
        assertThat(relay.get("/health").body()).contains("UP");
        RelayTestClient ada = relay.join("metered", "ada", BIN);
        ada.send(new ClientMessage.Destroy(424242)).awaitError("unknown_entity");
        String metrics = relay.get("/prometheus").body();
        assertThat(metrics).contains("relay_connections{subprotocol=\"relay.v1.bin\"}")
                .contains("relay_universes")
                .contains("relay_messages_received_total{type=\"destroy\"}")
                .contains("relay_messages_sent_total{type=\"welcome\"}")
                .containsPattern("relay_rejections_total\\{code=\"unknown_entity\"} [1-9]")
                .containsPattern("relay_bytes_received_bytes_total [1-9]")
                .containsPattern("relay_bytes_sent_bytes_total [1-9]")
                .contains("relay_fanout_seconds_bucket")
                .contains("relay_players").contains("relay_entities");
        HttpResponse<String> page = relay.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("<html");
    }
}
