package dev.universerelay.api;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.parseObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.Relay;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console shows which universes are being recorded, and its start and stop go through the
 * recordings admin API: what an operator sees must follow what the node does.
 */
@MicronautTest
@Property(name = "relay.recordings.enabled", value = "true")
@Property(name = "relay.recordings.directory", value = "target/test-recordings/console")
class ConsoleRecordingTest {
    @Inject
    Relay relay;

    private static String admin() {
        return TestTokens.hs256(TestTokens.claims("operator", Map.of("roles", List.of("admin"))));
    }

    private Object recordingOf(String universe) {
        HttpResponse<String> detail = relay.call("GET", "/api/console/universes/" + universe, admin());
        assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
        return parseObject(detail.body()).get("recording");
    }

    @SuppressWarnings("unchecked")
    private Object listedRecordingOf(String universe) {
        HttpResponse<String> list = relay.call("GET", "/api/console/universes?sort=name", admin());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        Object rows = parseObject(list.body()).get("universes");
        return rows == null ? "unlisted" : ((List<Map<String, Object>>) rows).stream()
                .filter(u -> universe.equals(u.get("name"))).findFirst()
                .map(u -> u.getOrDefault("recording", "off")).orElse("unlisted");
    }

    @Test
    void aRecordingStartedAndStoppedThroughTheAdminApiShowsInTheUniverseAndTheList() {
        relay.join("console-rec", "ada", BIN);
        assertThat(recordingOf("console-rec")).isNull();

        assertThat(relay.call("POST", "/api/admin/recordings/console-rec", admin()).statusCode()).isEqualTo(201);
        assertThat(recordingOf("console-rec")).isEqualTo("recording");
        // the list comes from the node's once-a-second sample
        await().atMost(Duration.ofSeconds(10)).until(() -> "recording".equals(listedRecordingOf("console-rec")));

        assertThat(relay.call("DELETE", "/api/admin/recordings/console-rec", admin()).statusCode()).isEqualTo(204);
        assertThat(recordingOf("console-rec")).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> "off".equals(listedRecordingOf("console-rec")));
    }
}
