package dev.universerelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.recording.RecordingIndex;
import dev.universerelay.recording.RecordingStore;
import dev.universerelay.support.RedisServer;
import dev.universerelay.support.RelayEndpoint;
import dev.universerelay.support.RelayNode;
import dev.universerelay.support.RelayProcess;
import dev.universerelay.support.RelayTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A universe shared by two nodes (real redis-server) is recorded by exactly one of them, completely
 * (the other node's players' moves included); when the recording node leaves, or dies without a word,
 * the other takes the lease (at once, or once the dead node's lease runs out) and records on, in a new
 * file that starts with the whole state.
 */
class ClusterRecordingTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    RedisServer redis;
    @TempDir
    Path dirCrashing;
    RelayNode a;
    RelayNode b;
    RelayProcess crashing;

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {crashing, a, b, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    Map<String, Object> settings(Path dir) {
        return Map.of("relay.recordings.enabled", "true", "relay.recordings.directory", dir.toString(),
                "relay.recordings.universes", "shared-*", "relay.session.resume-grace", "30s");
    }

    static double active(RelayEndpoint node) {
        return RelayTestClient.metric(node.port(), "relay_recordings_active");
    }

    @Test
    void one_node_records_a_shared_universe_and_the_other_takes_over_when_it_leaves() {
        redis = RedisServer.start();
        a = RelayNode.start(redis, "rec-a", settings(dirA));
        b = RelayNode.start(redis, "rec-b", settings(dirB));
        RelayTestClient ada = RelayTestClient.join(a.port(), "shared-1", "ada", RelayTestClient.JSON);
        RelayTestClient bob = RelayTestClient.join(b.port(), "shared-1", "bob", RelayTestClient.BIN);
        await().atMost(Duration.ofSeconds(10)).until(() -> active(a) + active(b) == 1);
        RelayNode recorder = active(a) == 1 ? a : b;
        RelayNode other = recorder == a ? b : a;
        RelayTestClient otherPlayer = recorder == a ? bob : ada;
        RelayTestClient recorderPlayer = recorder == a ? ada : bob;
        Path recorderDir = recorder == a ? dirA : dirB;
        Path otherDir = recorder == a ? dirB : dirA;

        // the other node's player acts: the recording node sees it through its copy and records it
        long ship = otherPlayer.spawn(7, 1, 1, 10, 0);
        otherPlayer.send(new ClientMessage.Move(ship, 2, 2, 20, 0));
        recorderPlayer.awaitMessage(m -> "velocity".equals(m.get("t")) && RelayTestClient.number(m, "id") == ship);
        RecordingStore recorded = new RecordingStore(recorderDir);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorded.list().size() == 1
                && recorded.list().get(0).end() >= recorded.list().get(0).start() && hasVelocity(recorded.list().get(0), recorderDir));
        assertThat(new RecordingStore(otherDir).list()).isEmpty();
        assertThat(active(other)).isZero();

        recorder.close(); // drains: its recording ends and its lease is given up
        await().atMost(Duration.ofSeconds(15)).until(() -> active(other) == 1);
        RecordingStore taken = new RecordingStore(otherDir);
        await().atMost(Duration.ofSeconds(10)).until(() -> taken.list().size() == 1);
        RecordingIndex second = taken.list().get(0);
        assertThat(second.universe()).isEqualTo("shared-1");
        assertThat(second.players()).contains("ada", "bob"); // the whole state at the takeover (ada in her resume grace)
        RecordingIndex first = recorded.list().get(0);
        assertThat(first.complete()).isTrue();
        assertThat(second.start()).isGreaterThanOrEqualTo(first.end());
        otherPlayer.close(1000);
    }

    @Test
    void theRecordingOfANodeThatDiesIsTakenOverOnceItsLeaseRunsOut() {
        redis = RedisServer.start();
        java.util.HashMap<String, String> doomed = new java.util.HashMap<>();
        settings(dirCrashing).forEach((k, v) -> doomed.put(k, v.toString()));
        doomed.putAll(Map.of("redis.uri", redis.uri(), "relay.cluster.mode", "redis", "relay.cluster.node-id", "rec-doomed",
                "relay.cluster.heartbeat-interval", "200ms", "relay.cluster.node-ttl", "1s"));
        crashing = RelayProcess.start(doomed);
        RelayTestClient gone = crashing.join("shared-2", "gone", RelayTestClient.BIN);
        await().atMost(Duration.ofSeconds(10)).until(() -> active(crashing) == 1);

        b = RelayNode.start(redis, "rec-b", settings(dirB));
        RelayTestClient bob = RelayTestClient.join(b.port(), "shared-2", "bob", RelayTestClient.BIN);
        RelayTestClient cat = RelayTestClient.join(b.port(), "shared-2", "cat", RelayTestClient.JSON);
        long ship = bob.spawn(4, 1, 1, 0, 0);
        gone.awaitEvent("appeared", ship);
        // the lease is the dead-to-be node's: this node does not record a second copy meanwhile
        assertThat(redis.command("GET", "relay:{shared-2}:recording")).contains("rec-doomed");
        assertThat(active(b)).isZero();

        crashing.kill(); // no drain, no release: only the lease's expiry lets the other node in
        await().atMost(Duration.ofSeconds(15)).until(() -> active(b) == 1);
        assertThat(redis.command("GET", "relay:{shared-2}:recording")).contains("rec-b");
        RecordingStore taken = new RecordingStore(dirB);
        await().atMost(Duration.ofSeconds(10)).until(() -> taken.list().size() == 1);
        RecordingIndex second = taken.list().get(0);
        assertThat(second.universe()).isEqualTo("shared-2");
        assertThat(second.players()).contains("bob", "cat"); // the whole state at the takeover

        // play goes on, and is recorded by the new node
        bob.send(new ClientMessage.Move(ship, 2, 2, 30, 0));
        cat.awaitMessage(m -> "velocity".equals(m.get("t")) && RelayTestClient.number(m, "id") == ship);
        await().atMost(Duration.ofSeconds(10)).until(() -> hasVelocity(taken.list().get(0), dirB));
        List<RecordingIndex> left = new RecordingStore(dirCrashing).list(); // the dead node's own file stays listable,
        assertThat(left).hasSize(1);                                          // marked as cut short
        assertThat(left.get(0).complete()).isFalse();
    }

    static boolean hasVelocity(RecordingIndex index, Path dir) {
        try (var reader = dev.universerelay.recording.RecordingReader.open(dir.resolve(index.id() + ".urrec"))) {
            for (var r = reader.next(); r != null; r = reader.next()) {
                if (r instanceof dev.universerelay.recording.Recorded.Event e
                        && e.message() instanceof dev.universerelay.protocol.ServerMessage.Velocity) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
