package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Joining, leaving, late joiners, replacement and resume (protocol sections 5, 7 and 11). */
@MicronautTest
@Property(name = "relay.session.resume-grace", value = "1500ms")
class PresenceTest {
    @Inject
    EmbeddedServer server;

    private int port() {
        return server.getPort();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> message, String field) {
        return (List<Map<String, Object>>) message.get(field);
    }

    @Test
    void othersSeeJoinedThenDestroyedForEachEntityThenLeftOnACleanClose() {
        RelayTestClient ada = RelayTestClient.join(port(), "presence", "ada", BIN);
        RelayTestClient bob = RelayTestClient.join(port(), "presence", "bob", JSON);
        Map<String, Object> joined = ada.awaitType("joined");
        assertThat(number(joined, "p")).isEqualTo(bob.you());
        assertThat(joined.get("name")).isEqualTo("bob");
        assertThat(list(bob.receivedOfType("welcome").get(0), "players"))
                .extracting(p -> p.get("name")).containsExactly("ada");

        long first = bob.spawn(1, 1, 1, 0, 0);
        long second = bob.spawn(2, 2, 2, 0, 0);
        ada.awaitMessage(m -> "appeared".equals(m.get("t")) && number(m, "id") == second);
        bob.close(1000);

        ada.awaitType("left");
        List<Map<String, Object>> tail = ada.received().stream()
                .filter(m -> "destroyed".equals(m.get("t")) || "left".equals(m.get("t"))).toList();
        assertThat(tail).extracting(m -> m.get("t")).containsExactly("destroyed", "destroyed", "left");
        assertThat(tail.subList(0, 2)).extracting(m -> number(m, "id")).containsExactlyInAnyOrder(first, second);
        assertThat(number(tail.get(2), "p")).isEqualTo(bob.you());
    }

    @Test
    void aLateJoinerGetsEveryEntityWithItsLatestStateAndThePlayersPresent() {
        RelayTestClient ada = RelayTestClient.join(port(), "late", "ada", BIN);
        long id = ada.spawn(1, 0, 0, 0, 0);
        ada.send(new ClientMessage.Move(id, 50, -25, 3, 4));
        ada.send(new ClientMessage.Ping(1)).awaitType("pong"); // the move has been applied

        RelayTestClient bob = RelayTestClient.join(port(), "late", "bob", BIN);
        Map<String, Object> welcome = bob.receivedOfType("welcome").get(0);
        assertThat(welcome.get("v")).isEqualTo(1);
        assertThat(welcome.get("universe")).isEqualTo("late");
        assertThat(welcome.get("resume")).isInstanceOf(String.class);
        assertThat(((Map<?, ?>) welcome.get("limits")).keySet()).extracting(String::valueOf).contains("rate", "burst", "maxEntities", "maxSpeed", "bounds");
        List<Map<String, Object>> entities = list(welcome, "entities");
        assertThat(entities).hasSize(1);
        assertThat(number(entities.get(0), "id")).isEqualTo(id);
        assertThat(number(entities.get(0), "o")).isEqualTo(ada.you());
        assertThat(RelayTestClient.decimal(entities.get(0), "x")).isEqualTo(50.0);
        assertThat(RelayTestClient.decimal(entities.get(0), "vy")).isEqualTo(4.0);
        assertThat(list(welcome, "players")).extracting(p -> number(p, "p")).containsExactly(ada.you());
    }

    @Test
    void aSecondConnectionOfTheSamePlayerReplacesTheFirstWith4009() {
        String token = TestTokens.hs256(TestTokens.claims("same-player", Map.of()));
        RelayTestClient watcher = RelayTestClient.join(port(), "replace", "watcher", BIN);
        RelayTestClient first = RelayTestClient.connect(port(), "replace", token, BIN);
        first.awaitType("welcome");
        long id = first.spawn(1, 0, 0, 0, 0);
        watcher.awaitType("joined");

        RelayTestClient second = RelayTestClient.connect(port(), "replace", token, JSON);
        second.awaitType("welcome");
        assertThat(first.awaitClose()).isEqualTo(4009);
        assertThat(second.you()).isEqualTo(first.you());
        assertThat(list(second.receivedOfType("welcome").get(0), "entities")).extracting(e -> number(e, "id")).contains(id);

        second.send(new ClientMessage.Move(id, 5, 5, 0, 0));
        watcher.awaitType("velocity");
        assertThat(watcher.receivedOfType("joined")).hasSize(1);
        assertThat(watcher.receivedOfType("left")).isEmpty();
    }

    @Test
    void aDroppedPlayerResumesWithItsNumberAndEntitiesAndOthersSeeNothing() {
        RelayTestClient watcher = RelayTestClient.join(port(), "resume", "watcher", BIN);
        String token = RelayTestClient.login(port(), "ada");
        RelayTestClient ada = RelayTestClient.connect(port(), "resume", token, BIN);
        Map<String, Object> welcome = ada.awaitType("welcome");
        long id = ada.spawn(1, 10, 10, 0, 0);
        watcher.awaitType("appeared");

        ada.drop();
        RelayTestClient again = RelayTestClient.connect(port(), "resume",
                "access_token=" + token + "&resume=" + welcome.get("resume"), BIN, Map.of());
        Map<String, Object> resumed = again.awaitType("welcome");
        assertThat(number(resumed, "you")).isEqualTo(number(welcome, "you"));
        assertThat(list(resumed, "entities")).extracting(e -> number(e, "id")).containsExactly(id);
        again.send(new ClientMessage.Move(id, 20, 20, 1, 1));
        watcher.awaitType("velocity");

        await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(4))
                .until(() -> watcher.receivedOfType("left").isEmpty() && watcher.receivedOfType("destroyed").isEmpty());
        assertThat(watcher.receivedOfType("joined")).hasSize(1);
    }

    @Test
    void whenTheGracePeriodEndsFirstThePlayerLeavesForGood() {
        RelayTestClient watcher = RelayTestClient.join(port(), "grace", "watcher", BIN);
        RelayTestClient ada = RelayTestClient.join(port(), "grace", "ada", BIN);
        long id = ada.spawn(1, 0, 0, 0, 0);
        watcher.awaitType("appeared");
        ada.drop();
        Map<String, Object> left = watcher.awaitType("left");
        assertThat(number(left, "p")).isEqualTo(ada.you());
        assertThat(watcher.receivedOfType("destroyed")).extracting(m -> number(m, "id")).containsExactly(id);
    }

    @Test
    void universesDisappearWhenTheirLastPlayerHasGone() {
        RelayTestClient ada = RelayTestClient.join(port(), "ephemeral", "ada", BIN);
        RelayTestClient bob = RelayTestClient.join(port(), "ephemeral", "bob", JSON);
        ada.spawn(1, 0, 0, 0, 0);
        assertThat(RelayTestClient.get(port(), "/api/universes").body()).contains("\"name\":\"ephemeral\"");
        ada.close(1000);
        bob.drop(); // grace first, then gone
        await().atMost(Duration.ofSeconds(10)).until(() -> !RelayTestClient.get(port(), "/api/universes").body().contains("ephemeral"));
    }
}
