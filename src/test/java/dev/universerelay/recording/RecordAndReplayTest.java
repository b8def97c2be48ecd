package dev.universerelay.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole capability through the real server: a scripted session of real WebSocket clients in a
 * universe recorded by configuration, watched live by a spectator; then the recording replayed
 * over {@code /ws/replays/{id}} must show the spectator's events, in the same order, with the
 * original spacing. Also the admin API's start and stop, and a delayed spectator.
 */
@MicronautTest
@Property(name = "relay.recordings.enabled", value = "true")
@Property(name = "relay.recordings.directory", value = "target/test-recordings/record-and-replay")
@Property(name = "relay.recordings.universes", value = "rec-*")
@Property(name = "relay.recordings.keyframe-interval", value = "300ms")
class RecordAndReplayTest {
    static final List<String> STREAM = List.of("joined", "left", "appeared", "velocity", "destroyed");

    @Inject
    Relay relay;

    int port() {
        return relay.port();
    }

    static String spectatorToken(String subject) {
        return TestTokens.hs256(TestTokens.claims(subject, Map.of("roles", List.of("spectator"))));
    }

    /**
     * ada (JSON) and bob (binary) play: ada's ship turns every 60 ms for 1.2 s while bob spawns and
     * destroys a rock, then both leave for good. Paced by a scheduler: the spacing is the script.
     */
    static void playScript(int port, String universe) throws Exception {
        RelayTestClient ada = RelayTestClient.join(port, universe, "ada", RelayTestClient.JSON);
        RelayTestClient bob = RelayTestClient.join(port, universe, "bob", RelayTestClient.BIN);
        long ship = ada.spawn(1, 0, 0, 100, 0);
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        try {
            List<java.util.concurrent.ScheduledFuture<?>> steps = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                float x = i * 6;
                float vy = i * 5;
                steps.add(pace.schedule(() -> ada.send(new ClientMessage.Move(ship, x, 0, 100, vy)), i * 60L, TimeUnit.MILLISECONDS));
            }
            steps.add(pace.schedule(() -> bob.send(new ClientMessage.Spawn(9, 2, 50, 50, 0, 0)), 400, TimeUnit.MILLISECONDS));
            for (var step : steps) {
                step.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pace.shutdownNow();
        }
        long rock = RelayTestClient.number(bob.awaitMessage(m -> "appeared".equals(m.get("t")) && RelayTestClient.number(m, "ref") == 9), "id");
        bob.send(new ClientMessage.Destroy(rock));
        ada.awaitMessage(m -> "destroyed".equals(m.get("t")) && RelayTestClient.number(m, "id") == rock);
        ada.close(1000);
        bob.awaitMessage(m -> "left".equals(m.get("t")));
        bob.close(1000);
    }

    /** What a viewer got of the universe's stream: type, id or player, server time, position. */
    static List<String> stream(List<ReplayWatcher.Arrival> arrivals) {
        return arrivals.stream().filter(a -> STREAM.contains(a.type())).map(a -> {
            var m = a.message();
            return a.type() + " " + (m.containsKey("id") ? m.get("id") : m.get("p")) + " s=" + m.get("s")
                    + (m.containsKey("x") ? " x=" + ((Number) m.get("x")).doubleValue() : "");
        }).toList();
    }

    @Test
    void a_recorded_session_replays_with_the_same_events_in_the_same_order_and_spacing() throws Exception {
        String universe = "rec-scripted";
        ReplayWatcher live = ReplayWatcher.watch(port(), "/ws/universes/" + universe, spectatorToken("fan"), RelayTestClient.JSON);
        live.await(0, m -> "welcome".equals(m.get("t")));
        playScript(port(), universe);
        live.await(0, m -> "left".equals(m.get("t")) && ((Number) m.get("p")).longValue() == 2);
        live.close();
        live.awaitClose();

        String token = RelayTestClient.login(port(), "viewer");
        Map<String, Object> recording = await().atMost(Duration.ofSeconds(10)).until(() -> findRecording(universe, token),
                r -> r != null && Boolean.TRUE.equals(r.get("complete")));
        assertThat(recording.get("players")).isEqualTo(List.of("ada", "bob"));

        ReplayWatcher replay = ReplayWatcher.watch(port(), "/ws/replays/" + recording.get("id"), token, RelayTestClient.JSON);
        replay.await(0, m -> "replay".equals(m.get("t")) && Boolean.TRUE.equals(m.get("ended")));
        List<String> seenLive = stream(live.arrivals());
        assertThat(seenLive).hasSizeGreaterThanOrEqualTo(2 + 1 + 20 + 1 + 1 + 1 + 1); // joined x2, appeared, moves, rock, left
        assertThat(stream(replay.arrivals())).containsExactlyElementsOf(seenLive);

        List<ReplayWatcher.Arrival> moves = replay.arrivalsOf("velocity");
        long firstS = ((Number) moves.get(0).message().get("s")).longValue();
        for (ReplayWatcher.Arrival move : moves) {
            long recorded = ((Number) move.message().get("s")).longValue() - firstS;
            long replayed = (move.nanos() - moves.get(0).nanos()) / 1_000_000;
            assertThat(replayed).as("velocity at +%d ms", recorded).isBetween(recorded - 15, recorded + 250);
        }
        replay.close();
    }

    @Test
    void an_operator_starts_and_stops_recording_a_universe_that_is_not_configured() {
        String admin = TestTokens.hs256(TestTokens.claims("operator", Map.of("roles", List.of("admin"))));
        RelayTestClient ada = RelayTestClient.join(port(), "adhoc", "ada", RelayTestClient.JSON);
        assertThat(post("/api/admin/recordings/adhoc", admin).statusCode()).isEqualTo(201);
        assertThat(post("/api/admin/recordings/adhoc", admin).statusCode()).isEqualTo(409);
        assertThat(post("/api/admin/recordings/nowhere", admin).statusCode()).isEqualTo(404);
        assertThat(post("/api/admin/recordings/adhoc", RelayTestClient.login(port(), "mallory")).statusCode()).isEqualTo(403);
        long ship = ada.spawn(5, 1, 2, 3, 4);
        assertThat(delete("/api/admin/recordings/adhoc", admin).statusCode()).isEqualTo(204);
        assertThat(delete("/api/admin/recordings/adhoc", admin).statusCode()).isEqualTo(404);
        ada.send(new ClientMessage.Destroy(ship)); // after the stop: not recorded

        String token = RelayTestClient.login(port(), "viewer");
        Map<String, Object> recording = await().atMost(Duration.ofSeconds(10)).until(() -> findRecording("adhoc", token),
                r -> r != null && Boolean.TRUE.equals(r.get("complete")));
        ReplayWatcher replay = ReplayWatcher.watch(port(), "/ws/replays/" + recording.get("id"), token, RelayTestClient.BIN);
        replay.await(0, m -> "replay".equals(m.get("t")) && Boolean.TRUE.equals(m.get("ended")));
        assertThat(replay.arrivalsOf("welcome").get(0).message().get("players")).isEqualTo(List.of(Map.of("p", 1, "name", "ada")));
        assertThat(stream(replay.arrivals())).singleElement().asString().startsWith("appeared " + ship);
        replay.close();
        ada.close(1000);
    }

    @Test
    void a_delayed_spectator_sees_the_universe_its_delay_behind_and_players_are_not_slowed() throws Exception {
        String universe = "delayed";
        RelayTestClient ada = RelayTestClient.join(port(), universe, "ada", RelayTestClient.JSON);
        ReplayWatcher delayed = ReplayWatcher.watch(port(), "/ws/universes/" + universe + "?delay=700&x=1",
                spectatorToken("broadcast") , RelayTestClient.JSON);
        long connectedAt = System.nanoTime();
        var welcome = delayed.await(0, m -> "welcome".equals(m.get("t")));
        assertThat((welcome.nanos() - connectedAt) / 1_000_000).isGreaterThanOrEqualTo(690); // waits for 700 ms of history

        long ship = ada.spawn(1, 0, 0, 10, 0);
        long spawnedAt = System.nanoTime(); // ada got her own appeared at once: players are not delayed
        var appeared = delayed.await(0, m -> "appeared".equals(m.get("t")));
        assertThat(((Number) appeared.message().get("id")).longValue()).isEqualTo(ship);
        assertThat((appeared.nanos() - spawnedAt) / 1_000_000).isBetween(600L, 700L + 250);
        int mark = delayed.count();
        delayed.sendText("{\"t\":\"ping\",\"c\":1}");
        long pongS = ((Number) delayed.await(mark, m -> "pong".equals(m.get("t"))).message().get("s")).longValue();
        assertThat(System.currentTimeMillis() - pongS).isBetween(700L, 700L + 250); // its clock runs 700 ms behind

        // bad asks: a player token, a delay beyond the maximum, not a number
        ReplayWatcher player = ReplayWatcher.watch(port(), "/ws/universes/" + universe + "?delay=700",
                RelayTestClient.login(port(), "bob"), RelayTestClient.JSON);
        assertThat(player.awaitClose()).isEqualTo(4003);
        for (String bad : List.of("delay=60001", "delay=0", "delay=ten")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplayWatcher.watch(port(), "/ws/universes/" + universe + "?" + bad,
                    spectatorToken("x"), RelayTestClient.JSON)).isInstanceOfSatisfying(ReplayWatcher.Refused.class,
                    r -> assertThat(r.status).isEqualTo(400));
        }
        delayed.close();
        ada.close(1000);
    }

    Map<String, Object> findRecording(String universe, String token) {
        HttpResponse<String> list = get("/api/recordings", token);
        Object parsed = RelayTestClient.parseObject("{\"a\":" + list.body() + "}").get("a");
        for (Object o : (List<?>) parsed) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) o;
            if (universe.equals(r.get("universe"))) {
                return r;
            }
        }
        return null;
    }

    HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), token);
    }

    HttpResponse<String> post(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), token);
    }

    HttpResponse<String> delete(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), token);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    static HttpResponse<String> send(HttpRequest.Builder request, String token) {
        try {
            return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
