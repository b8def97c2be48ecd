package dev.universerelay.cluster;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.isEvent;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Closeables;
import dev.universerelay.support.RedisServer;
import dev.universerelay.support.RelayNode;
import dev.universerelay.support.RelayProcess;
import dev.universerelay.support.RelayTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a cluster does when a node dies or Redis goes away (docs/cluster.md, "Failures"), with a
 * real redis-server and, for the crash, a node in its own process killed with SIGKILL.
 */
class ClusterFailureTest {
    private static final Map<String, Object> SETTINGS = Map.of("relay.session.resume-grace", "1500ms");

    private RedisServer redis;
    private RelayNode a;
    private RelayNode b;
    private RelayProcess crashing;

    @AfterEach
    void stop() {
        Closeables.closeAll(crashing, a, b, redis);
    }



    private static long leftCount(RelayTestClient client, long player) {
        return client.receivedOfType("left").stream().filter(m -> number(m, "p") == player).count();
    }

    @Test
    void playersOfAKilledNodeAreRemovedOnceAfterTheGracePeriodUnlessTheyResumeElsewhere() {
        redis = RedisServer.start();
        a = RelayNode.start(redis, "survivor-a", SETTINGS);
        b = RelayNode.start(redis, "survivor-b", SETTINGS);
        crashing = RelayProcess.start(Map.of("redis.uri", redis.uri(), "relay.cluster.mode", "redis",
                "relay.cluster.node-id", "doomed", "relay.cluster.heartbeat-interval", "200ms",
                "relay.cluster.node-ttl", "1s", "relay.session.resume-grace", "1500ms"));

        RelayTestClient onA = a.join("crash", "on-a", BIN);
        RelayTestClient onB = b.join("crash", "on-b", BIN);
        RelayTestClient gone = crashing.join("crash", "gone", BIN);
        String roamerToken = crashing.login("roamer");
        RelayTestClient roamer = crashing.connect("crash", roamerToken, BIN);
        roamer.awaitType("welcome");
        long goneShip = gone.spawn(1, 0, 0, 0, 0);
        long goneRock = gone.spawn(2, 5, 5, 0, 0);
        long roamerShip = roamer.spawn(3, 9, 9, 0, 0);
        for (RelayTestClient survivor : List.of(onA, onB)) {
            survivor.awaitEvent("appeared", goneRock);
            survivor.awaitEvent("appeared", roamerShip);
        }

        crashing.kill();
        RelayTestClient resumed = b.connect("crash", roamerToken, BIN);
        assertThat(number(resumed.awaitType("welcome"), "you")).isEqualTo(roamer.you());

        long goneNumber = gone.you();
        for (RelayTestClient survivor : List.of(onA, onB)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> leftCount(survivor, goneNumber) == 1);
            List<Map<String, Object>> tail = survivor.received().stream()
                    .filter(m -> "destroyed".equals(m.get("t")) || "left".equals(m.get("t"))).toList();
            assertThat(tail).extracting(m -> m.get("t")).containsExactly("destroyed", "destroyed", "left");
            assertThat(tail.subList(0, 2)).extracting(m -> number(m, "id")).containsExactlyInAnyOrder(goneShip, goneRock);
        }
        // exactly once, and the resumed player and its ship are untouched
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                leftCount(onA, goneNumber) == 1 && leftCount(onB, goneNumber) == 1
                        && onA.receivedOfType("left").size() == 1 && onA.receivedOfType("destroyed").size() == 2);
        resumed.send(new ClientMessage.Move(roamerShip, 1, 2, 0, 0));
        onA.awaitEvent("velocity", roamerShip);

        assertThat(redis.command("HKEYS", "relay:{crash}:node"))
                .contains(Long.toString(onA.you()), Long.toString(onB.you()), Long.toString(roamer.you()))
                .doesNotContain("\r\n" + goneNumber + "\r\n");
        assertThat(redis.command("ZRANGE", "relay:nodes", "0", "-1")).doesNotContain("doomed");
    }

    @Test
    void aNodeTheOthersGaveUpOnClosesItsClientsWith1013AndTheyStartAfresh() {
        redis = RedisServer.start();
        a = RelayNode.start(redis, "given-up", SETTINGS);
        b = RelayNode.start(redis, "other", SETTINGS);
        RelayTestClient stranded = a.join("afresh", "stranded", BIN);
        RelayTestClient watcher = b.join("afresh", "watcher", BIN);
        stranded.spawn(1, 0, 0, 0, 0);

        // what DETECT_LOST does when a node's heartbeat lapsed: the others no longer count it
        assertThat(redis.command("ZREM", "relay:nodes", "given-up")).startsWith(":1");
        assertThat(stranded.awaitClose()).isEqualTo(1013);
        assertThat(watcher.isClosed()).isFalse();

        await().atMost(Duration.ofSeconds(10)).until(() -> a.ready());
        RelayTestClient back = a.join("afresh", "back", BIN);
        long ship = back.spawn(2, 3, 3, 0, 0);
        watcher.awaitEvent("appeared", ship);
    }

    @Test
    void nodesWhoseSubscriptionsRedisCutCatchUp() {
        redis = RedisServer.start();
        a = RelayNode.start(redis, "cut-a", SETTINGS);
        b = RelayNode.start(redis, "cut-b", SETTINGS);
        RelayTestClient ada = a.join("cut", "ada", BIN);
        RelayTestClient bob = b.join("cut", "bob", BIN);
        long ship = bob.spawn(1, 0, 0, 0, 0);
        ada.awaitEvent("appeared", ship);

        // what Redis does to a subscriber that falls behind (client-output-buffer-limit pubsub)
        assertThat(redis.command("CLIENT", "KILL", "TYPE", "pubsub")).startsWith(":2");
        bob.send(new ClientMessage.Move(ship, 55, 0, 0, 0)); // published while the subscriptions are down
        long rock = bob.spawn(2, 1, 1, 0, 0);

        ada.awaitMessage(m -> isEvent(m, "velocity", ship) && RelayTestClient.decimal(m, "x") == 55.0);
        ada.awaitEvent("appeared", rock);
        await().atMost(Duration.ofSeconds(10)).until(() -> resyncs(a) >= 1 && resyncs(b) >= 1);
        bob.send(new ClientMessage.Move(ship, 56, 0, 0, 0));
        ada.awaitMessage(m -> isEvent(m, "velocity", ship) && RelayTestClient.decimal(m, "x") == 56.0);
    }

    private static double resyncs(RelayNode node) {
        return node.metric("relay_cluster_resyncs_total");
    }

    @Test
    void aNodeStartedBeforeItsRedisIsNotReadyUntilRedisAnswers() {
        int port = RedisServer.freePort();
        a = RelayNode.start("redis://127.0.0.1:" + port, "early", SETTINGS);
        assertThat(a.ready()).isFalse();
        String token = a.login("early-bird");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.connect("early", token, BIN))
                .isInstanceOfSatisfying(RelayTestClient.HandshakeRefused.class, r -> assertThat(r.status()).isEqualTo(503));
        redis = RedisServer.start(port);
        await().atMost(Duration.ofSeconds(15)).until(() -> a.ready());
        RelayTestClient player = a.connect("early", token, BIN);
        player.awaitType("welcome");
    }

    @Test
    void whileRedisIsUnreachableNodesAreNotReadyButKeepServingTheirPlayersAndCatchUpAfter() {
        redis = RedisServer.start();
        a = RelayNode.start(redis, "outage-a", SETTINGS);
        b = RelayNode.start(redis, "outage-b", SETTINGS);
        RelayTestClient pilot = a.join("outage", "pilot", BIN);
        RelayTestClient wingman = a.join("outage", "wingman", BIN);
        RelayTestClient far = b.join("outage", "far", BIN);
        long ship = pilot.spawn(1, 0, 0, 0, 0);
        far.awaitEvent("appeared", ship);

        redis.freeze();
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.ready() && !b.ready());
        String token = a.login("newcomer");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.connect("outage", token, BIN))
                .isInstanceOfSatisfying(RelayTestClient.HandshakeRefused.class, r -> assertThat(r.status()).isEqualTo(503));

        pilot.send(new ClientMessage.Move(ship, 77, 0, 0, 0)); // players on one node still play together
        wingman.awaitMessage(m -> isEvent(m, "velocity", ship) && RelayTestClient.decimal(m, "x") == 77.0);
        // longer than the node TTL (1s): the nodes must not give each other up when Redis returns
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);

        redis.thaw();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.ready() && b.ready());
        // the far node learns what it missed, and nobody was disconnected
        far.awaitMessage(m -> isEvent(m, "velocity", ship) && RelayTestClient.decimal(m, "x") == 77.0);
        assertThat(pilot.isClosed() || wingman.isClosed() || far.isClosed()).isFalse();
        pilot.send(new ClientMessage.Move(ship, 78, 0, 0, 0));
        far.awaitMessage(m -> isEvent(m, "velocity", ship) && RelayTestClient.decimal(m, "x") == 78.0);
        RelayTestClient late = b.join("outage", "late", BIN);
        assertThat(late.receivedOfType("welcome").get(0).toString()).contains("pilot", "wingman", "far");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> far.receivedOfType("left").isEmpty());
    }
}
