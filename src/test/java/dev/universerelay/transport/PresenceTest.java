package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.list;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
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
    Relay relay;

    @Test
    void othersSeeJoinedThenDestroyedForEachEntityThenLeftOnACleanClose() {
        RelayTestClient ada = relay.join("presence", "ada", BIN);
        RelayTestClient bob = relay.join("presence", "bob", JSON);
        Map<String, Object> joined = ada.awaitType("joined");
        assertThat(number(joined, "p")).isEqualTo(bob.you());
        assertThat(joined.get("name")).isEqualTo("bob");
        assertThat(list(bob.receivedOfType("welcome").get(0), "players"))
                .extracting(p -> p.get("name")).containsExactly("ada");

        long first = bob.spawn(1, 1, 1, 0, 0);
        long second = bob.spawn(2, 2, 2, 0, 0);
        ada.awaitEvent("appeared", second);
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
        RelayTestClient ada = relay.join("late", "ada", BIN);
        long id = ada.spawn(1, 0, 0, 0, 0);
        ada.send(new ClientMessage.Move(id, 50, -25, 3, 4));
        ada.fence(); // the move has been applied

        RelayTestClient bob = relay.join("late", "bob", BIN);
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
        String token = TestTokens.token("same-player");
        RelayTestClient watcher = relay.join("replace", "watcher", BIN);
        RelayTestClient first = relay.connect("replace", token, BIN);
        first.awaitType("welcome");
        long id = first.spawn(1, 0, 0, 0, 0);
        watcher.awaitType("joined");

        RelayTestClient second = relay.connect("replace", token, JSON);
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
        RelayTestClient watcher = relay.join("resume", "watcher", BIN);
        String token = relay.login("ada");
        RelayTestClient ada = relay.connect("resume", token, BIN);
        Map<String, Object> welcome = ada.awaitType("welcome");
        long id = ada.spawn(1, 10, 10, 0, 0);
        watcher.awaitType("appeared");

        ada.drop();
        RelayTestClient again = relay.connectWithQuery("resume",
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
        RelayTestClient watcher = relay.join("grace", "watcher", BIN);
        RelayTestClient ada = relay.join("grace", "ada", BIN);
        long id = ada.spawn(1, 0, 0, 0, 0);
        watcher.awaitType("appeared");
        ada.drop();
        Map<String, Object> left = watcher.awaitType("left");
        assertThat(number(left, "p")).isEqualTo(ada.you());
        assertThat(watcher.receivedOfType("destroyed")).extracting(m -> number(m, "id")).containsExactly(id);
    }

    @Test
    void universesDisappearWhenTheirLastPlayerHasGone() {
        RelayTestClient ada = relay.join("ephemeral", "ada", BIN);
        RelayTestClient bob = relay.join("ephemeral", "bob", JSON);
        ada.spawn(1, 0, 0, 0, 0);
        assertThat(relay.get("/api/universes").body()).contains("\"name\":\"ephemeral\"");
        ada.close(1000);
        bob.drop(); // grace first, then gone
        await().atMost(Duration.ofSeconds(10)).until(() -> !relay.get("/api/universes").body().contains("ephemeral"));
    }
}
