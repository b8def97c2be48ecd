package dev.universerelay.recording;

import static dev.universerelay.recording.RecordingFileTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.PlayerInfo;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Replays over the WebSocket protocol (docs/protocol.md section 15) and the recordings API, from
 * recording files made by the {@link Recorder} itself: what a viewer sees, the controls, and every
 * kind of bad input.
 */
@MicronautTest
@Property(name = "relay.recordings.enabled", value = "true")
@Property(name = "relay.recordings.directory", value = "target/test-recordings/replay")
@Property(name = "relay.recordings.max-replays", value = "3")
class ReplayTest {
    static final Path DIR = Path.of("target/test-recordings/replay").toAbsolutePath();

    @Inject
    Relay relay;
    @Inject
    RecordingStore store;

    int port() {
        return relay.port();
    }

    /** Writes the script of {@link RecordingFileTest} as recording {@code id} of {@code universe}. */
    Path recordScript(String id, String universe) {
        RecordingWriter writer = new RecordingWriter();
        Recorder recorder = new Recorder(id, store.pathOf(id), "", 1000, 1000, writer, RecordingObserver.NONE,
                Recorder.FileOpener.FILES);
        recorder.started(universe, T0, List.of(new PlayerInfo(1, "ada")), List.of(new Appeared(3, 1, 2, 0, 0, 1, 1, T0 - 50, 0)));
        for (Recorded.Event e : RecordingFileTest.script()) {
            recorder.event(e.message(), e.time());
        }
        recorder.stop(T0 + 3500, "done");
        await().atMost(10, TimeUnit.SECONDS).until(recorder::isFinished);
        writer.close(1000);
        return recorder.path();
    }

    static String token(String subject, Object universes) {
        return TestTokens.hs256(TestTokens.claims(subject, universes == null ? Map.of() : Map.of("universes", universes)));
    }

    static long number(Map<String, Object> m, String field) {
        return ((Number) m.get(field)).longValue();
    }

    @Test
    void a_replay_shows_the_recorded_game_with_its_events_in_order_and_their_original_spacing() {
        recordScript("spacing", "alpha");
        ReplayWatcher viewer = ReplayWatcher.watch(port(), "/ws/replays/spacing", token("viewer", null), RelayTestClient.JSON);

        var welcome = viewer.await(0, m -> "welcome".equals(m.get("t"))).message();
        assertThat(welcome.get("universe")).isEqualTo("alpha");
        assertThat(number(welcome, "s")).isEqualTo(T0);
        assertThat((List<?>) welcome.get("players")).hasSize(1);
        assertThat((List<?>) welcome.get("entities")).hasSize(1);
        var status = viewer.await(0, m -> "replay".equals(m.get("t"))).message();
        assertThat(status).containsEntry("id", "spacing").containsEntry("paused", false).containsEntry("ended", false);
        assertThat(number(status, "start")).isEqualTo(T0);
        assertThat(number(status, "end")).isEqualTo(T0 + 3500);

        viewer.await(0, m -> "replay".equals(m.get("t")) && Boolean.TRUE.equals(m.get("ended")));
        List<ReplayWatcher.Arrival> events = viewer.arrivalsOf("joined", "appeared", "velocity", "destroyed", "left");
        List<Recorded.Event> script = RecordingFileTest.script();
        assertThat(events).extracting(ReplayWatcher.Arrival::type)
                .containsExactlyElementsOf(script.stream().map(e -> e.message().type()).toList());
        for (int i = 0; i < script.size(); i++) {
            long recordedOffset = script.get(i).time() - script.get(0).time();
            long replayedOffset = (events.get(i).nanos() - events.get(0).nanos()) / 1_000_000;
            // never early (events are due at their time), and late only by the machine's scheduling
            assertThat(replayedOffset).as("event %d", i).isBetween(recordedOffset - 15, recordedOffset + 250);
            if (script.get(i).message() instanceof dev.universerelay.protocol.ServerMessage.Velocity v) {
                assertThat(number(events.get(i).message(), "s")).isEqualTo(v.serverTime());
            }
        }
        viewer.close();
    }

    @Test
    void a_binary_viewer_gets_the_same_events_as_binary_frames() {
        recordScript("binary", "alpha");
        ReplayWatcher viewer = ReplayWatcher.watch(port(), "/ws/replays/binary", token("viewer", null), RelayTestClient.BIN);
        viewer.await(0, m -> "replay".equals(m.get("t")) && Boolean.TRUE.equals(m.get("ended")));
        assertThat(viewer.arrivalsOf("velocity")).hasSize(30);
        assertThat(viewer.arrivalsOf("destroyed")).hasSize(1);
        viewer.close();
    }

    @Test
    void a_seek_sends_the_state_at_that_time_from_the_nearest_keyframe_and_plays_on_from_there() {
        recordScript("seek", "alpha");
        ReplayWatcher viewer = ReplayWatcher.watch(port(), "/ws/replays/seek", token("viewer", null), RelayTestClient.JSON);
        viewer.await(0, m -> "replay".equals(m.get("t")));
        int before = viewer.count();
        viewer.sendText("{\"t\":\"replay\",\"seek\":" + (T0 + 2000) + ",\"speed\":2}");

        var welcome = viewer.await(before, m -> "welcome".equals(m.get("t"))).message();
        assertThat(number(welcome, "s")).isEqualTo(T0 + 2000);
        assertThat((List<?>) welcome.get("players")).hasSize(2);
        @SuppressWarnings("unchecked")
        var ship = ((List<Map<String, Object>>) welcome.get("entities")).stream().filter(e -> number(e, "id") == 7).findFirst().orElseThrow();
        assertThat(((Number) ship.get("x")).doubleValue()).isEqualTo(10 + 18 * 3); // its velocity of T0 + 2000
        var status = viewer.await(before, m -> "replay".equals(m.get("t"))).message();
        assertThat(((Number) status.get("speed")).doubleValue()).isEqualTo(2.0);
        int afterWelcome = viewer.arrivals().indexOf(viewer.await(before, m -> "welcome".equals(m.get("t"))));
        var next = viewer.await(afterWelcome, m -> "velocity".equals(m.get("t"))).message();
        assertThat(number(next, "s")).isEqualTo(T0 + 2100);
        viewer.await(before, m -> "replay".equals(m.get("t")) && Boolean.TRUE.equals(m.get("ended")));

        int atEnd = viewer.count();
        viewer.sendText("{\"t\":\"replay\",\"seek\":" + T0 + "}"); // back to the start after the end
        var again = viewer.await(atEnd, m -> "welcome".equals(m.get("t"))).message();
        assertThat((List<?>) again.get("players")).hasSize(1);
        viewer.await(atEnd, m -> "joined".equals(m.get("t")));
        viewer.close();
    }

    @Test
    void a_paused_replay_stands_still_and_its_pongs_say_the_replay_time() {
        recordScript("pause", "alpha");
        ReplayWatcher viewer = ReplayWatcher.watch(port(), "/ws/replays/pause", token("viewer", null), RelayTestClient.JSON);
        viewer.await(0, m -> "replay".equals(m.get("t")));
        int before = viewer.count();
        viewer.sendText("{\"t\":\"replay\",\"paused\":true}");
        var paused = viewer.await(before, m -> "replay".equals(m.get("t"))).message();
        assertThat(paused).containsEntry("paused", true);
        int mark = viewer.count();
        viewer.sendText("{\"t\":\"ping\",\"c\":1}");
        long first = number(viewer.await(mark, m -> "pong".equals(m.get("t"))).message(), "s");
        int mark2 = viewer.count();
        viewer.sendText("{\"t\":\"ping\",\"c\":2}");
        long second = number(viewer.await(mark2, m -> "pong".equals(m.get("t")) && number(m, "c") == 2).message(), "s");
        assertThat(second).isEqualTo(first).isEqualTo(number(paused, "s")).isBetween(T0, T0 + 3500);
        assertThat(viewer.arrivals().subList(mark, viewer.count())).extracting(ReplayWatcher.Arrival::type)
                .containsOnly("pong");
        viewer.sendText("{\"t\":\"replay\",\"paused\":false}");
        viewer.await(mark2, m -> "replay".equals(m.get("t")) && Boolean.TRUE.equals(m.get("ended")));
        viewer.close();
    }

    @Test
    void bad_controls_get_clear_errors_and_the_replay_goes_on() {
        recordScript("bad", "alpha");
        ReplayWatcher viewer = ReplayWatcher.watch(port(), "/ws/replays/bad", token("viewer", null), RelayTestClient.JSON);
        viewer.await(0, m -> "replay".equals(m.get("t")));
        viewer.sendText("{\"t\":\"replay\",\"seek\":" + (T0 + 99_999) + "}");
        assertThat((String) viewer.await(0, m -> "error".equals(m.get("t"))).message().get("msg")).contains("outside the recording");
        int mark = viewer.count();
        viewer.sendText("{\"t\":\"replay\",\"speed\":10}");
        assertThat((String) viewer.await(mark, m -> "error".equals(m.get("t"))).message().get("msg")).contains("between 0.25 and 4");
        mark = viewer.count();
        viewer.sendText("{\"t\":\"replay\",\"rewind\":true}");
        assertThat((String) viewer.await(mark, m -> "error".equals(m.get("t"))).message().get("msg")).contains("unknown field");
        mark = viewer.count();
        viewer.sendText("{\"t\":\"spawn\",\"ref\":1,\"k\":1,\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}");
        assertThat(viewer.await(mark, m -> "error".equals(m.get("t"))).message()).containsEntry("code", "read_only");
        viewer.await(0, m -> "replay".equals(m.get("t")) && Boolean.TRUE.equals(m.get("ended")));
        viewer.close();
    }

    @Test
    void unknown_recordings_bad_ids_and_universes_the_token_does_not_allow_are_refused() {
        recordScript("secret", "beta-finals");
        assertThatThrownBy(() -> ReplayWatcher.watch(port(), "/ws/replays/no-such-recording", token("v", null), RelayTestClient.JSON))
                .isInstanceOfSatisfying(ReplayWatcher.Refused.class, r -> assertThat(r.status).isEqualTo(404));
        assertThatThrownBy(() -> ReplayWatcher.watch(port(), "/ws/replays/a.b", token("v", null), RelayTestClient.JSON))
                .isInstanceOfSatisfying(ReplayWatcher.Refused.class, r -> assertThat(r.status).isEqualTo(400));
        assertThatThrownBy(() -> ReplayWatcher.watch(port(), "/ws/replays/secret", "not-a-token", RelayTestClient.JSON))
                .isInstanceOfSatisfying(ReplayWatcher.Refused.class, r -> assertThat(r.status).isEqualTo(401));

        ReplayWatcher outsider = ReplayWatcher.watch(port(), "/ws/replays/secret", token("eve", List.of("alpha*")), RelayTestClient.JSON);
        assertThat(outsider.awaitClose()).isEqualTo(CloseCodes.NOT_ALLOWED);
        assertThat(outsider.arrivalsOf("welcome")).isEmpty();
        ReplayWatcher insider = ReplayWatcher.watch(port(), "/ws/replays/secret", token("bea", List.of("beta-*")), RelayTestClient.JSON);
        insider.await(0, m -> "welcome".equals(m.get("t")));
        insider.close();

        // the API shows and hands out only what the token allows; the rest is 404 as if absent
        String eve = token("eve", List.of("alpha*"));
        assertThat(get("/api/recordings", eve).body()).doesNotContain("secret");
        assertThat(get("/api/recordings/secret", eve).statusCode()).isEqualTo(404);
        assertThat(get("/api/recordings/secret/file", eve).statusCode()).isEqualTo(404);
        assertThat(get("/api/recordings", null).statusCode()).isEqualTo(401);
    }

    @Test
    void the_replay_cap_refuses_one_more_viewer_and_frees_a_slot_when_one_leaves() {
        recordScript("capped", "alpha");
        String t = token("viewer", null);
        List<ReplayWatcher> viewers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ReplayWatcher v = ReplayWatcher.watch(port(), "/ws/replays/capped", t, RelayTestClient.JSON);
            v.await(0, m -> "welcome".equals(m.get("t")));
            viewers.add(v);
        }
        assertThatThrownBy(() -> ReplayWatcher.watch(port(), "/ws/replays/capped", t, RelayTestClient.JSON))
                .isInstanceOfSatisfying(ReplayWatcher.Refused.class, r -> assertThat(r.status).isEqualTo(503));
        assertThat(RelayTestClient.metric(port(), "relay_replays")).isEqualTo(3);
        viewers.get(0).close();
        viewers.get(0).awaitClose();
        await().atMost(Duration.ofSeconds(10)).until(() -> RelayTestClient.metric(port(), "relay_replays") == 2);
        ReplayWatcher late = ReplayWatcher.watch(port(), "/ws/replays/capped", t, RelayTestClient.JSON);
        late.await(0, m -> "welcome".equals(m.get("t")));
        late.close();
        viewers.subList(1, 3).forEach(ReplayWatcher::close);
    }

    @Test
    void a_truncated_or_damaged_file_replays_up_to_its_last_intact_record_and_the_api_says_so() throws IOException {
        Path whole = recordScript("whole", "alpha");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(store.pathOf("cut"), Arrays.copyOf(bytes, bytes.length - 40));
        Files.writeString(store.pathOf("garbage"), "not a recording");

        var cut = RelayTestClient.parseObject(get("/api/recordings/cut", token("v", null)).body());
        assertThat(cut).containsEntry("complete", false).containsEntry("universe", "alpha");
        assertThat((String) cut.get("damage")).contains("incomplete");
        assertThat(get("/api/recordings/garbage", token("v", null)).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> ReplayWatcher.watch(port(), "/ws/replays/garbage", token("v", null), RelayTestClient.JSON))
                .isInstanceOfSatisfying(ReplayWatcher.Refused.class, r -> assertThat(r.status).isEqualTo(404));

        ReplayWatcher viewer = ReplayWatcher.watch(port(), "/ws/replays/cut", token("viewer", null), RelayTestClient.JSON);
        viewer.sendText("{\"t\":\"replay\",\"speed\":4}");
        viewer.await(0, m -> "replay".equals(m.get("t")) && Boolean.TRUE.equals(m.get("ended")));
        assertThat(viewer.arrivalsOf("velocity").size()).isBetween(28, 30);
        viewer.close();
    }

    @Test
    void the_api_lists_describes_and_hands_out_recordings() throws IOException {
        Path file = recordScript("listed", "alpha");
        String t = token("viewer", null);
        HttpResponse<String> list = get("/api/recordings", t);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"id\":\"listed\"");
        var meta = RelayTestClient.parseObject(get("/api/recordings/listed", t).body());
        assertThat(meta).containsEntry("universe", "alpha").containsEntry("complete", true).doesNotContainKey("damage");
        assertThat(number(meta, "start")).isEqualTo(T0);
        assertThat(number(meta, "duration")).isEqualTo(3500);
        assertThat(number(meta, "size")).isEqualTo(Files.size(file));
        assertThat(meta.get("players")).isEqualTo(List.of("ada", "bob"));
        HttpResponse<byte[]> download = getBytes("/api/recordings/listed/file", t);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Files.readAllBytes(file));
        assertThat(get("/api/recordings/nothing", t).statusCode()).isEqualTo(404);
    }

    HttpResponse<String> get(String path, String token) {
        return send(path, token, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path, String token) {
        return send(path, token, HttpResponse.BodyHandlers.ofByteArray());
    }

    <T> HttpResponse<T> send(String path, String token, HttpResponse.BodyHandler<T> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), body);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
