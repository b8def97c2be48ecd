package dev.universerelay.cluster;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.isEvent;
import static dev.universerelay.support.RelayTestClient.list;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Closeables;
import dev.universerelay.support.RedisServer;
import dev.universerelay.support.RelayNode;
import dev.universerelay.support.RelayTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three relay nodes (separate application contexts, each on its own port) sharing universes
 * through one real redis-server: players of one universe on different nodes must see each other
 * exactly as on one node (docs/cluster.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
    private static final Map<String, Object> SETTINGS = Map.of(
            "relay.session.resume-grace", "1500ms",
            "relay.limits.max-players-per-universe", 3);

    private RedisServer redis;
    private RelayNode a;
    private RelayNode b;
    private RelayNode c;

    @BeforeAll
    void startCluster() {
        redis = RedisServer.start();
        a = RelayNode.start(redis, "node-a", SETTINGS);
        b = RelayNode.start(redis, "node-b", SETTINGS);
        c = RelayNode.start(redis, "node-c", SETTINGS);
    }

    @AfterAll
    void stopCluster() {
        Closeables.closeAll(a, b, c, redis);
    }

    @Test
    void playersOnDifferentNodesSeeEachOthersSpawnsMovesAndDestroys() {
        RelayTestClient ada = a.join("cross", "ada", BIN);
        RelayTestClient bob = b.join("cross", "bob", JSON);

        Map<String, Object> joined = ada.awaitType("joined");
        assertThat(number(joined, "p")).isEqualTo(bob.you());
        assertThat(joined.get("name")).isEqualTo("bob");
        assertThat(list(bob.receivedOfType("welcome").get(0), "players")).extracting(p -> p.get("name")).containsExactly("ada");
        assertThat(ada.you()).isNotEqualTo(bob.you());

        long ship = ada.spawn(7, 10, 20, 1, 2);
        Map<String, Object> appeared = bob.awaitEvent("appeared", ship);
        assertThat(number(appeared, "o")).isEqualTo(ada.you());
        assertThat(number(appeared, "ref")).isEqualTo(7); // as on one node: every player sees the spawn's ref

        ada.send(new ClientMessage.Move(ship, 30, 40, 3, 4));
        Map<String, Object> velocity = bob.awaitEvent("velocity", ship);
        assertThat(RelayTestClient.decimal(velocity, "x")).isEqualTo(30.0);

        long rock = bob.spawn(8, -5, -5, 0, 0);
        ada.awaitEvent("appeared", rock);
        assertThat(rock).isNotEqualTo(ship);

        ada.send(new ClientMessage.Destroy(ship));
        bob.awaitEvent("destroyed", ship);

        // ownership is checked across nodes: bob may not move or destroy ada's entities
        long other = ada.spawn(9, 0, 0, 0, 0);
        bob.awaitEvent("appeared", other);
        bob.send(new ClientMessage.Move(other, 1, 1, 0, 0));
        assertThat(bob.awaitError("not_owner").get("msg").toString()).contains("belongs to player " + ada.you());
    }

    @Test
    void aLateJoinerOnAThirdNodeGetsEveryNodesEntitiesAndPlayers() {
        RelayTestClient ada = a.join("late", "ada", BIN);
        RelayTestClient bob = b.join("late", "bob", BIN);
        long fromA = ada.spawn(1, 100, 100, 0, 0);
        long fromB = bob.spawn(2, 200, 200, 5, 0);
        ada.send(new ClientMessage.Move(fromA, 150, 150, 1, 1));
        bob.awaitEvent("velocity", fromA);
        ada.awaitEvent("appeared", fromB);

        RelayTestClient cid = c.join("late", "cid", JSON);
        Map<String, Object> welcome = cid.receivedOfType("welcome").get(0);
        assertThat(list(welcome, "players")).extracting(p -> p.get("name")).containsExactlyInAnyOrder("ada", "bob");
        List<Map<String, Object>> entities = list(welcome, "entities");
        assertThat(entities).extracting(e -> number(e, "id")).containsExactlyInAnyOrder(fromA, fromB);
        Map<String, Object> moved = entities.stream().filter(e -> number(e, "id") == fromA).findFirst().orElseThrow();
        assertThat(RelayTestClient.decimal(moved, "x")).isEqualTo(150.0);
        assertThat(number(moved, "o")).isEqualTo(ada.you());
        assertThat(cid.you()).isNotIn(ada.you(), bob.you());
    }

    @Test
    void entityIdsAndPlayerNumbersStayUniqueAcrossNodes() {
        List<RelayTestClient> players = List.of(
                a.join("unique", "p1", BIN),
                b.join("unique", "p2", BIN),
                c.join("unique", "p3", BIN));
        Set<Long> numbers = new HashSet<>();
        players.forEach(p -> numbers.add(p.you()));
        assertThat(numbers).hasSize(3);

        for (int i = 0; i < 20; i++) {
            for (RelayTestClient p : players) {
                p.send(new ClientMessage.Spawn(100 + i, 1, i, i, 0, 0));
            }
        }
        RelayTestClient watcher = players.get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.receivedOfType("appeared").size() >= 60);
        List<Long> ids = watcher.receivedOfType("appeared").stream().map(m -> number(m, "id")).toList();
        assertThat(ids).hasSize(60).doesNotHaveDuplicates();
    }

    @Test
    void universesStayIsolatedAcrossNodes() {
        RelayTestClient red = a.join("red", "red", BIN);
        RelayTestClient blue = b.join("blue", "blue", BIN);
        RelayTestClient red2 = b.join("red", "red2", BIN);
        long ship = red.spawn(1, 0, 0, 0, 0);
        red2.awaitEvent("appeared", ship);
        long blueShip = blue.spawn(2, 0, 0, 0, 0);
        red.awaitMessage(m -> "joined".equals(m.get("t")));
        // blue's spawn was published before this marker, which red2 sees through the same node
        long marker = red.spawn(3, 1, 1, 0, 0);
        red2.awaitEvent("appeared", marker);
        assertThat(red2.receivedOfType("appeared")).extracting(m -> number(m, "o")).containsOnly(red.you());
        assertThat(blue.receivedOfType("appeared")).extracting(m -> number(m, "id")).containsExactly(blueShip);
        assertThat(blue.receivedOfType("joined")).isEmpty();
    }

    @Test
    void movesOfOneEntityArriveInOrderOnAnotherNode() {
        RelayTestClient mover = a.join("order", "mover", BIN);
        RelayTestClient watcher = b.join("order", "watcher", BIN);
        long ship = mover.spawn(1, 0, 0, 0, 0);
        watcher.awaitEvent("appeared", ship);
        for (int i = 1; i <= 50; i++) { // within the default burst of 60
            mover.send(new ClientMessage.Move(ship, i, 0, 0, 0));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.receivedOfType("velocity").size() >= 50);
        List<Double> xs = watcher.receivedOfType("velocity").stream().map(m -> RelayTestClient.decimal(m, "x")).toList();
        List<Double> expected = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            expected.add((double) i);
        }
        assertThat(xs).containsExactlyElementsOf(expected);
    }

    @Test
    void aCleanLeaveOnOneNodeIsDestroyedThenLeftOnTheOthers() {
        RelayTestClient stay = a.join("leave", "stay", BIN);
        RelayTestClient go = b.join("leave", "go", BIN);
        long first = go.spawn(1, 0, 0, 0, 0);
        long second = go.spawn(2, 0, 0, 0, 0);
        stay.awaitEvent("appeared", second);
        go.close(1000);
        stay.awaitType("left");
        List<Map<String, Object>> tail = stay.received().stream()
                .filter(m -> "destroyed".equals(m.get("t")) || "left".equals(m.get("t"))).toList();
        assertThat(tail).extracting(m -> m.get("t")).containsExactly("destroyed", "destroyed", "left");
        assertThat(tail.subList(0, 2)).extracting(m -> number(m, "id")).containsExactlyInAnyOrder(first, second);

        RelayTestClient late = c.join("leave", "late", BIN);
        Map<String, Object> welcome = late.receivedOfType("welcome").get(0);
        assertThat(list(welcome, "entities")).isEmpty();
        assertThat(list(welcome, "players")).extracting(p -> p.get("name")).containsExactly("stay");
    }

    @Test
    void aDroppedPlayerResumesOnAnotherNodeWithItsNumberAndEntities() {
        RelayTestClient watcher = c.join("resume", "watcher", BIN);
        String token = a.login("roamer");
        RelayTestClient first = a.connect("resume", token, BIN);
        first.awaitType("welcome");
        long number = first.you();
        long ship = first.spawn(1, 5, 5, 0, 0);
        watcher.awaitEvent("appeared", ship);

        first.drop();
        RelayTestClient again = b.connect("resume", token, BIN);
        Map<String, Object> welcome = again.awaitType("welcome");
        assertThat(number(welcome, "you")).isEqualTo(number);
        assertThat(list(welcome, "entities")).extracting(e -> number(e, "id")).contains(ship);

        again.send(new ClientMessage.Move(ship, 9, 9, 0, 0));
        watcher.awaitEvent("velocity", ship);
        // well past the grace period of node a: it must not have removed the player meanwhile
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(watcher.receivedOfType("left")).isEmpty();
        assertThat(watcher.receivedOfType("destroyed")).isEmpty();
        assertThat(watcher.receivedOfType("joined")).extracting(m -> number(m, "p")).containsExactly(number);
        again.send(new ClientMessage.Move(ship, 10, 10, 0, 0));
        watcher.awaitMessage(m -> isEvent(m, "velocity", ship) && RelayTestClient.decimal(m, "x") == 10.0);
    }

    @Test
    void aNewerConnectionOnAnotherNodeReplacesTheOlderWith4009() {
        String token = a.login("twin");
        RelayTestClient older = a.connect("twins", token, BIN);
        older.awaitType("welcome");
        RelayTestClient newer = b.connect("twins", token, BIN);
        newer.awaitType("welcome");
        assertThat(older.awaitClose()).isEqualTo(4009);
        assertThat(newer.you()).isEqualTo(older.you());
    }

    @Test
    void theUniversePlayerCapCountsPlayersOfEveryNode() {
        a.join("capped", "one", BIN);
        b.join("capped", "two", BIN);
        c.join("capped", "three", BIN);
        RelayTestClient fourth = a.connect("capped", a.login("four"), BIN);
        assertThat(fourth.awaitClose()).isEqualTo(4004);
    }

    @Test
    void aSpectatorOnOneNodeSeesPlayersOfAnother() {
        RelayTestClient player = a.join("watched", "player", BIN);
        long ship = player.spawn(1, 0, 0, 0, 0);
        String token = dev.universerelay.support.TestTokens.hs256(dev.universerelay.support.TestTokens.claims("eye",
                Map.of("roles", "spectator")));
        RelayTestClient eye = b.connect("watched", token, BIN);
        Map<String, Object> welcome = eye.awaitType("welcome");
        assertThat(list(welcome, "entities")).extracting(e -> number(e, "id")).containsExactly(ship);
        player.send(new ClientMessage.Move(ship, 3, 3, 0, 0));
        eye.awaitEvent("velocity", ship);
        assertThat(player.receivedOfType("joined")).isEmpty(); // spectators are not announced
        // and their numbers are never a player's, on any node
        RelayTestClient next = c.join("watched", "next", BIN);
        assertThat(number(welcome, "you")).isNotIn(player.you(), next.you());
    }

    @Test
    void interestManagementAppliesToOtherNodesEntities() {
        RelayTestClient near = a.join("open-cluster", "near", BIN);
        RelayTestClient mover = b.join("open-cluster", "mover", BIN);
        near.send(new ClientMessage.View(0, 0, 1000), new ClientMessage.Ping(1));
        near.awaitType("pong"); // the view is applied
        long far = mover.spawn(1, 20_000, 0, 0, 0);
        long marker = mover.spawn(2, 10, 10, 0, 0); // in view: arrives after the far one would have
        near.awaitEvent("appeared", marker);
        assertThat(near.receivedOfType("appeared")).extracting(m -> number(m, "id")).doesNotContain(far);

        mover.send(new ClientMessage.Move(far, 100, 100, 0, 0)); // into near's view
        Map<String, Object> shown = near.awaitEvent("appeared", far);
        assertThat(RelayTestClient.decimal(shown, "x")).isEqualTo(100.0);
        mover.send(new ClientMessage.Move(far, 30_000, 0, 0, 0)); // and out again
        near.awaitEvent("hidden", far);
    }

    @Test
    void nodesReportClusterMetrics() {
        RelayTestClient one = a.join("metered", "one", BIN);
        b.join("metered", "two", BIN);
        one.spawn(1, 0, 0, 0, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.metric("relay_cluster_ready") == 1
                && b.metric("relay_cluster_changes_received_total") >= 1);
        assertThat(a.metric("relay_cluster_changes_published_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void badClusterSettingsAreRefusedAtStartup() {
        assertThatThrownBy(() -> RelayNode.start(redis, "bad node id!", Map.of()))
                .hasStackTraceContaining("relay.cluster.node-id");
        assertThatThrownBy(() -> RelayNode.start(redis, "node-x", Map.of("relay.cluster.mode", "redis-cluster")))
                .hasStackTraceContaining("relay.cluster.mode");
    }
}
