package dev.universerelay.cluster;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.parseObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.Closeables;
import dev.universerelay.support.RedisServer;
import dev.universerelay.support.RelayNode;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator console in cluster mode, with a real redis-server: the console of any node shows
 * every node (a node that stops publishing as lost, one that left cleanly not at all), the
 * universes of every node merged by name, and drains another node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleClusterTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private RedisServer redis;
    private RelayNode a;
    private RelayNode b;
    private RelayNode c;

    @BeforeAll
    void startCluster() {
        redis = RedisServer.start();
        a = RelayNode.start(redis, "console-a", Map.of());
        b = RelayNode.start(redis, "console-b", Map.of());
        c = RelayNode.start(redis, "console-c", Map.of());
    }

    @AfterAll
    void stopCluster() {
        Closeables.closeAll(a, b, c, redis);
    }

    private static HttpResponse<String> call(RelayNode node, String method, String path) throws Exception {
        String admin = TestTokens.hs256(TestTokens.claims("operator", Map.of("roles", List.of("admin"))));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> get(RelayNode node, String path) throws Exception {
        HttpResponse<String> response = call(node, "GET", path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parseObject(response.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    private static Map<String, Object> byField(List<Map<String, Object>> rows, String field, String value) {
        return rows.stream().filter(r -> value.equals(r.get(field))).findFirst().orElse(null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anyNodesConsoleShowsEveryNodeTheirUniversesAndDrainsAnother() throws Exception {
        RelayTestClient ada = RelayTestClient.join(a.port(), "shared", "ada", BIN);
        RelayTestClient bob = RelayTestClient.join(b.port(), "shared", "bob", BIN);
        RelayTestClient.join(b.port(), "only-on-b", "cyd", BIN);
        ada.awaitType("joined");
        // a node that stopped publishing (crashed) some seconds ago: still listed, as lost
        String stale = "{\"node\":\"console-z\",\"state\":\"ready\",\"latest\":{\"at\":" + (System.currentTimeMillis() - 20_000)
                + ",\"connections\":5,\"players\":5,\"eventsIn\":1,\"eventsOut\":1,\"bytesIn\":1,\"bytesOut\":1,"
                + "\"fanoutP99Micros\":1,\"refusals\":0},\"universeCount\":1,\"entities\":0,\"refusals\":{},"
                + "\"universes\":[{\"name\":\"ghost\",\"players\":5,\"spectators\":0,\"entities\":0,\"eventsIn\":0,"
                + "\"eventsOut\":0,\"bytesIn\":0,\"bytesOut\":0,\"nodes\":[\"console-z\"]}]}";
        assertThat(redis.command("HSET", "relay:console:nodes", "console-z", stale)).startsWith(":");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, Object> overview = get(a, "/api/console/overview");
            assertThat(overview.get("node")).isEqualTo("console-a");
            List<Map<String, Object>> nodes = list(overview.get("nodes"));
            assertThat(nodes).as("no sample yet").isNotEmpty();
            assertThat(nodes.get(0).get("node")).isEqualTo("console-a");
            assertThat(nodes).extracting(n -> n.get("node"))
                    .containsExactlyInAnyOrder("console-a", "console-b", "console-c", "console-z");
            assertThat(byField(nodes, "node", "console-b")).containsEntry("state", "ready");
            assertThat(byField(nodes, "node", "console-c")).containsEntry("state", "ready");
            assertThat(byField(nodes, "node", "console-z")).containsEntry("state", "lost");
            assertThat(((Number) overview.get("connections")).intValue()).as("a lost node's are not counted: %s", overview).isEqualTo(3);

            List<Map<String, Object>> universes = list(get(a, "/api/console/universes").get("universes"));
            Map<String, Object> shared = byField(universes, "name", "shared");
            assertThat(shared).isNotNull();
            assertThat(((Number) shared.get("players")).intValue()).isEqualTo(2);
            assertThat((List<Object>) shared.get("nodes")).containsExactlyInAnyOrder("console-a", "console-b");
            assertThat(byField(universes, "name", "only-on-b")).containsEntry("nodes", List.of("console-b"));
            assertThat(byField(universes, "name", "ghost")).as("a lost node's universes are not listed").isNull();

            List<Map<String, Object>> history = list(get(a, "/api/console/history").get("nodes"));
            assertThat(history).extracting(h -> h.get("node")).contains("console-a", "console-b", "console-c");
            assertThat(byField(history, "node", "console-b")).isNotNull();
            assertThat(list(byField(history, "node", "console-b").get("points"))).isNotEmpty();
        });

        // the universe page of a node shows who is connected there and who elsewhere
        List<Map<String, Object>> members = list(get(a, "/api/console/universes/shared").get("members"));
        assertThat(byField(members, "name", "ada")).containsEntry("address", "127.0.0.1");
        assertThat(byField(members, "name", "bob")).containsEntry("connected", true).doesNotContainKey("address");

        // a node that leaves cleanly takes its status with it
        c.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                list(get(a, "/api/console/overview").get("nodes"))).extracting(n -> n.get("node")).doesNotContain("console-c"));

        // drain another node from this node's console: its players are sent away with 1001
        assertThat(call(a, "POST", "/api/console/nodes/console-b/drain").statusCode()).isEqualTo(202);
        assertThat(bob.awaitClose()).isEqualTo(1001);
        assertThat(RelayTestClient.get(b.port(), "/health/readiness").statusCode()).isEqualTo(503);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                byField(list(get(a, "/api/console/overview").get("nodes")), "node", "console-b"))
                .containsEntry("state", "draining"));
        assertThat(RelayTestClient.get(a.port(), "/health/readiness").statusCode()).isEqualTo(200);
        assertThat(ada.isClosed()).isFalse();
    }
}
