package dev.universerelay.api;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.parseObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The operator console's API ({@code /api/console/*}): admin role only, and the shape and meaning
 * of what it answers, read from a node with real players on it.
 */
@MicronautTest
class ConsoleApiTest {
    @Inject
    Relay relay;

    private HttpResponse<String> call(String method, String path, String token) {
        return relay.call(method, path, token);
    }

    private Map<String, Object> json(String method, String path) throws Exception {
        HttpResponse<String> response = call(method, path, admin());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
        return parseObject(response.body());
    }

    static String admin() {
        return TestTokens.hs256(TestTokens.claims("operator", Map.of("roles", List.of("admin"))));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value; // empty lists are left out of JSON
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static double num(Map<String, Object> m, String field) {
        return ((Number) m.get(field)).doubleValue();
    }

    @Test
    void everyConsoleEndpointNeedsTheAdminRole() throws Exception {
        RelayTestClient.join(relay.port(), "guarded-console", "ada", BIN);
        String player = RelayTestClient.login(relay.port(), "mallory");
        String spectator = TestTokens.hs256(TestTokens.claims("watcher", Map.of("roles", List.of("spectator"))));
        String expiredAdmin = TestTokens.hs256(TestTokens.claims("old-operator",
                Map.of("roles", List.of("admin"), "exp", new java.util.Date(System.currentTimeMillis() - 60_000))));
        String[][] endpoints = {
                {"GET", "/api/console/overview"},
                {"GET", "/api/console/history"},
                {"GET", "/api/console/universes"},
                {"GET", "/api/console/universes/guarded-console"},
                {"POST", "/api/console/universes/guarded-console/watch"},
                {"POST", "/api/console/nodes/local/drain"},
        };
        for (String[] e : endpoints) {
            assertThat(call(e[0], e[1], null).statusCode()).as("%s %s without a token", e[0], e[1]).isEqualTo(401);
            assertThat(call(e[0], e[1], "not-a-jwt").statusCode()).as("%s %s with garbage", e[0], e[1]).isEqualTo(401);
            assertThat(call(e[0], e[1], expiredAdmin).statusCode()).as("%s %s with an expired admin token", e[0], e[1])
                    .isEqualTo(401);
            assertThat(call(e[0], e[1], player).statusCode()).as("%s %s as a player", e[0], e[1]).isEqualTo(403);
            assertThat(call(e[0], e[1], spectator).statusCode()).as("%s %s as a spectator", e[0], e[1]).isEqualTo(403);
        }
        // the refused drain did nothing: the node still takes players
        assertThat(RelayTestClient.get(relay.port(), "/health/readiness").statusCode()).isEqualTo(200);
        RelayTestClient.join(relay.port(), "guarded-console", "bob", BIN);
    }

    @Test
    void thePageLoadsForAnyoneButHoldsNoData() throws Exception {
        HttpResponse<String> page = call("GET", "/console/", null);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(page.body()).contains("Admin token").contains("/console/console.js");
        assertThat(call("GET", "/console/console.js", null).statusCode()).isEqualTo(200);
        HttpResponse<String> bare = call("GET", "/console", null);
        assertThat(bare.statusCode()).isEqualTo(200);
        assertThat(bare.body()).isEqualTo(page.body());
    }

    @Test
    void theOverviewShowsThisNodeWithItsTrafficAndHistory() throws Exception {
        RelayTestClient ada = RelayTestClient.join(relay.port(), "console-overview", "ada", BIN);
        RelayTestClient bob = RelayTestClient.join(relay.port(), "console-overview", "bob", BIN);
        long entity = ada.spawn(1, 0, 0, 10, 0);
        bob.awaitMessage(m -> RelayTestClient.isEvent(m, "appeared", entity));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            ada.send(new ClientMessage.Move(entity, 1, 1, 20, 0));
            Map<String, Object> overview = json("GET", "/api/console/overview");
            assertThat(overview.get("node")).isEqualTo("local");
            assertThat(num(overview, "connections")).isGreaterThanOrEqualTo(2);
            assertThat(num(overview, "players")).isGreaterThanOrEqualTo(2);
            assertThat(num(overview, "universes")).isGreaterThanOrEqualTo(1);
            assertThat(map(overview.get("refusals")).keySet()).containsAll(
                    Arrays.stream(RefusalReason.values()).map(RefusalReason::label).toList());
            List<Map<String, Object>> nodes = list(overview.get("nodes"));
            assertThat(nodes).hasSize(1);
            Map<String, Object> node = nodes.get(0);
            assertThat(node.get("node")).isEqualTo("local");
            assertThat(node.get("state")).isEqualTo("ready");
            Map<String, Object> latest = map(node.get("latest"));
            assertThat(num(latest, "connections")).isGreaterThanOrEqualTo(2);
            assertThat(num(latest, "eventsIn")).isGreaterThan(0);
            assertThat(num(latest, "eventsOut")).isGreaterThan(0);
            assertThat(num(latest, "bytesIn")).isGreaterThan(0);
            assertThat(num(latest, "fanoutP99Micros")).isGreaterThan(0);
        });

        Map<String, Object> history = json("GET", "/api/console/history");
        List<Map<String, Object>> series = list(history.get("nodes"));
        assertThat(series).extracting(s -> s.get("node")).containsExactly("local");
        List<Map<String, Object>> points = list(series.get(0).get("points"));
        assertThat(points).isNotEmpty().hasSizeLessThanOrEqualTo(900);
        long last = ((Number) points.get(points.size() - 1).get("at")).longValue();
        assertThat(list(list(json("GET", "/api/console/history?since=" + last).get("nodes")).get(0).get("points")))
                .allSatisfy(p -> assertThat(((Number) p.get("at")).longValue()).isGreaterThan(last));
    }

    @Test
    void universesAreListedSortedAndCapped() throws Exception {
        RelayTestClient.join(relay.port(), "console-small", "ada", BIN);
        RelayTestClient.join(relay.port(), "console-big", "bob", BIN);
        RelayTestClient.join(relay.port(), "console-big", "cyd", BIN);
        RelayTestClient.join(relay.port(), "console-big", "dan", BIN).spawn(1, 5, 5, 0, 0);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Map<String, Object>> rows = list(json("GET", "/api/console/universes?sort=players").get("universes"));
            List<Object> names = rows.stream().map(r -> r.get("name")).toList();
            assertThat(names).contains("console-big", "console-small");
            assertThat(names.indexOf("console-big")).isLessThan(names.indexOf("console-small"));
            Map<String, Object> big = rows.get(names.indexOf("console-big"));
            assertThat(num(big, "players")).isEqualTo(3);
            assertThat(num(big, "entities")).isEqualTo(1);
            assertThat(big.get("recording")).isNull();
            assertThat(big.get("nodes")).isEqualTo(List.of("local"));
        });
        List<Object> byName = list(json("GET", "/api/console/universes?sort=name").get("universes")).stream()
                .map(r -> r.get("name")).toList();
        assertThat(byName).isSorted();
        Map<String, Object> one = json("GET", "/api/console/universes?limit=1");
        assertThat(list(one.get("universes"))).hasSize(1);
        assertThat(num(one, "total")).isGreaterThanOrEqualTo(2);
        for (String bad : new String[] {"?sort=size", "?limit=0", "?limit=101", "?limit=x"}) {
            assertThat(call("GET", "/api/console/universes" + bad, admin()).statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void aUniverseShowsItsMembersWithTheirConnections() throws Exception {
        long before = System.currentTimeMillis();
        RelayTestClient ada = RelayTestClient.join(relay.port(), "console-detail", "ada", BIN);
        RelayTestClient.join(relay.port(), "console-detail", "bob", BIN);
        ada.send(new ClientMessage.Spawn(1, 1, 0, 0, 1e6f, 0)); // too fast: one error
        ada.awaitError("too_fast");
        ClientMessage[] flood = new ClientMessage[90];
        Arrays.fill(flood, new ClientMessage.Ping(1));
        ada.send(flood); // beyond the burst: rate-limit hits
        ada.awaitError("rate_limited");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Object> detail = json("GET", "/api/console/universes/console-detail");
            assertThat(detail.get("name")).isEqualTo("console-detail");
            assertThat(detail.get("node")).isEqualTo("local");
            assertThat(num(detail, "players")).isEqualTo(2);
            List<Map<String, Object>> members = list(detail.get("members"));
            assertThat(members).extracting(m -> m.get("name")).containsExactly("ada", "bob");
            Map<String, Object> a = members.get(0);
            assertThat(num(a, "p")).isEqualTo(ada.you());
            assertThat(a.get("address")).isEqualTo("127.0.0.1");
            assertThat(a.get("wire")).isEqualTo(BIN);
            assertThat(a.get("connected")).isEqualTo(true);
            assertThat(num(a, "connectedAt")).isBetween((double) before, (double) System.currentTimeMillis());
            assertThat(num(a, "errors")).isEqualTo(1);
            assertThat(num(a, "rateLimitHits")).isGreaterThan(0);
            assertThat(num(members.get(1), "rateLimitHits")).isZero();
        });
        assertThat(call("GET", "/api/console/universes/console-nowhere", admin()).statusCode()).isEqualTo(404);
    }

    @Test
    void aWatchTokenIsASpectatorOfThatUniverseOnly() throws Exception {
        RelayTestClient ada = RelayTestClient.join(relay.port(), "console-watched", "ada", BIN);
        long entity = ada.spawn(1, 3, 4, 0, 0);
        Map<String, Object> answer = json("POST", "/api/console/universes/console-watched/watch");
        String token = (String) answer.get("access_token");
        assertThat(num(answer, "expires_in")).isEqualTo(600);

        RelayTestClient watcher = RelayTestClient.connect(relay.port(), "console-watched", token, BIN);
        Map<String, Object> welcome = watcher.awaitType("welcome");
        assertThat(list(welcome.get("entities"))).anySatisfy(e -> assertThat(num(e, "id")).isEqualTo(entity));
        watcher.send(new ClientMessage.Spawn(1, 1, 0, 0, 0, 0));
        watcher.awaitError("read_only");
        assertThat(list(json("GET", "/api/console/universes/console-watched").get("members")))
                .anySatisfy(m -> assertThat(m).containsEntry("spectator", true).containsEntry("name", "console"));

        RelayTestClient elsewhere = RelayTestClient.connect(relay.port(), "console-other", token, BIN);
        assertThat(elsewhere.awaitClose()).isEqualTo(4003);
        assertThat(call("POST", "/api/console/universes/console-nowhere/watch", admin()).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/console/nodes/some-other-node/drain", admin()).statusCode()).isEqualTo(404);
    }

    @Test
    void actionsAreLoggedWithTheAdminsSubjectAndNeverAToken() throws Exception {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level previous = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.INFO);
        appender.start();
        root.addAppender(appender);
        String admin = admin();
        String watch;
        try {
            RelayTestClient ada = RelayTestClient.join(relay.port(), "console-logged", "ada", BIN);
            HttpResponse<String> watched = call("POST", "/api/console/universes/console-logged/watch", admin);
            watch = (String) parseObject(watched.body()).get("access_token");
            assertThat(call("DELETE", "/api/universes/console-logged/players/" + ada.you(), admin).statusCode()).isEqualTo(204);
            assertThat(ada.awaitClose()).isEqualTo(4003);
        } finally {
            root.detachAppender(appender);
            root.setLevel(previous);
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("universe=console-logged").contains("watched by admin=operator"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("universe=console-logged").contains("kicked by admin=operator"));
        String adminSignature = admin.substring(admin.lastIndexOf('.') + 1);
        String watchSignature = watch.substring(watch.lastIndexOf('.') + 1);
        assertThat(lines).noneSatisfy(l -> assertThat(l).containsAnyOf(adminSignature, watchSignature, "eyJ"));
    }
}
