package dev.universerelay.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.RelayProcess;
import dev.universerelay.support.RelayTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with SIGKILL in the middle of a recording: the file keeps everything written up
 * to the kill, and another node on the same directory lists it as incomplete and replays it with
 * the events a live spectator saw, in the same order.
 */
class RecordingCrashTest {
    @TempDir
    Path directory;

    Map<String, String> config() {
        return Map.of("relay.recordings.enabled", "true", "relay.recordings.directory", directory.toString(),
                "relay.recordings.universes", "crash-*", "relay.recordings.keyframe-interval", "300ms");
    }

    @Test
    void a_recording_cut_by_kill_9_replays_up_to_its_last_complete_record() throws Exception {
        List<String> seenLive;
        String id;
        try (RelayProcess node = RelayProcess.start(config())) {
            int port = node.port();
            ReplayWatcher live = ReplayWatcher.watch(port, "/ws/universes/crash-1",
                    RecordAndReplayTest.spectatorToken("fan"), RelayTestClient.JSON);
            live.await(0, m -> "welcome".equals(m.get("t")));
            RelayTestClient ada = RelayTestClient.join(port, "crash-1", "ada", RelayTestClient.BIN);
            long ship = ada.spawn(1, 0, 0, 50, 0);
            for (int i = 1; i <= 12; i++) {
                ada.send(new ClientMessage.Move(ship, i * 5, 0, 50, i));
                int step = i;
                live.await(0, m -> "velocity".equals(m.get("t")) && ((Number) m.get("vy")).intValue() == step);
            }
            seenLive = RecordAndReplayTest.stream(live.arrivals());
            long lastS = ((Number) live.arrivalsOf("velocity").get(11).message().get("s")).longValue();
            String token = RelayTestClient.login(port, "viewer");
            // the recording has everything the spectator saw on disk (the writer flushes after each batch)
            Map<String, Object> recording = await().atMost(Duration.ofSeconds(10)).until(
                    () -> find(port, token), r -> r != null && ((Number) r.get("end")).longValue() >= lastS);
            id = (String) recording.get("id");
            assertThat(recording).containsEntry("complete", false);

            node.kill(); // SIGKILL, mid-recording: no end record, the universe still live
        }
        try (RecordingReader reader = RecordingReader.open(directory.resolve(id + ".urrec"))) {
            for (Recorded r = reader.next(); r != null; r = reader.next()) {
                assertThat(r).isNotInstanceOf(Recorded.End.class);
            }
            assertThat(reader.stop()).isEqualTo(RecordingReader.Stop.TRUNCATED);
        }

        try (RelayProcess after = RelayProcess.start(config())) {
            String token = RelayTestClient.login(after.port(), "viewer");
            Map<String, Object> listed = find(after.port(), token);
            assertThat(listed).containsEntry("id", id).containsEntry("complete", false);
            assertThat((String) listed.get("damage")).contains("without an end record");
            ReplayWatcher replay = ReplayWatcher.watch(after.port(), "/ws/replays/" + id, token, RelayTestClient.JSON);
            replay.sendText("{\"t\":\"replay\",\"speed\":4}");
            replay.await(0, m -> "replay".equals(m.get("t")) && Boolean.TRUE.equals(m.get("ended")));
            assertThat(RecordAndReplayTest.stream(replay.arrivals())).containsExactlyElementsOf(seenLive);
            replay.close();
        }
        assertThat(Files.list(directory).count()).isEqualTo(1);
    }

    static Map<String, Object> find(int port, String token) {
        var response = RecordAndReplayTest.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/recordings")).GET(), token);
        Object parsed = RelayTestClient.parseObject("{\"a\":" + response.body() + "}").get("a");
        for (Object o : (List<?>) parsed) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) o;
            if ("crash-1".equals(r.get("universe"))) {
                return r;
            }
        }
        return null;
    }
}
