package dev.universerelay.browser;

import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.PlayerInfo;
import dev.universerelay.protocol.ServerMessage.Velocity;
import dev.universerelay.recording.Recorder;
import dev.universerelay.recording.RecordingObserver;
import dev.universerelay.recording.RecordingStore;
import dev.universerelay.recording.RecordingWriter;
import dev.universerelay.support.NodeScript;
import dev.universerelay.support.Relay;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Watches a recording in the browser game, in a real headless Chromium
 * ({@code game-client/test/e2e/run-replay-e2e.mjs}): the lobby's "Watch a recording" entry, the
 * replay page drawing the recorded ships where they were, a seek, speed and pause. The screenshot
 * goes to {@code target/screenshots/replay.png} (docs/images/replay.png is one).
 */
@MicronautTest
@Property(name = "relay.recordings.enabled", value = "true")
@Property(name = "relay.recordings.directory", value = "target/test-recordings/browser")
class ReplayBrowserTest {
    static final long T0 = System.currentTimeMillis() - 60_000;

    @Inject
    Relay relay;
    @Inject
    RecordingStore store;

    @Test
    void a_recording_is_watched_from_the_lobby_with_seek_speed_and_pause() throws Exception {
        String id = "browser-" + Long.toString(System.nanoTime(), 36);
        RecordingWriter writer = new RecordingWriter();
        Recorder recorder = new Recorder(id, store.pathOf(id), "", 1000, 2000, writer, RecordingObserver.NONE, Recorder.FileOpener.FILES);
        recorder.started("arena", T0, List.of(new PlayerInfo(1, "ada"), new PlayerInfo(2, "bob")),
                List.of(new Appeared(7, 2, 1, 200, 100, 0, 0, T0, 0)));
        recorder.event(new Appeared(5, 1, 1, 0, 0, 100, 0, T0 + 10, 1), T0 + 10);
        for (int i = 1; i < 10; i++) {
            long t = T0 + i * 1000L;
            recorder.event(new Velocity(5, (t - T0) / 10f, 0, 100, 0, t), t);
        }
        recorder.stop(T0 + 10_000, "done");
        await().atMost(10, TimeUnit.SECONDS).until(recorder::isFinished);
        writer.close(1000);

        Path root = NodeScript.projectRoot();
        NodeScript.runAndExpectSuccess(root.resolve("game-client/test/e2e/run-replay-e2e.mjs"), Map.of(
                "CHROMIUM_PATH", NodeScript.chromium().toString(),
                "RELAY_URL", "http://127.0.0.1:" + relay.port(),
                "RECORDING_ID", id,
                "RECORDING_START", Long.toString(T0),
                "SCREENSHOT_DIR", root.resolve("target/screenshots").toString()), 120);
    }
}
