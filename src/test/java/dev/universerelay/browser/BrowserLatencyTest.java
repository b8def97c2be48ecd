package dev.universerelay.browser;

import dev.universerelay.support.NodeScript;
import dev.universerelay.support.Relay;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The game's netcode under latency, in a real headless Chromium: two pilots reach this server
 * through a TCP proxy on loopback that delays every byte by 150 ms each way
 * ({@code game-client/test/e2e/run-latency.mjs}). The remote ship is sampled every frame on the
 * other pilot's screen and must move without jumps (interpolation); the own ship must answer its
 * keys in the next frames, before the relay's acknowledgement could return (prediction), and every
 * move must be acknowledged (the input acknowledgement extension, protocol section 14).
 */
@MicronautTest
class BrowserLatencyTest {

    private static final long TIMEOUT_SECONDS = 180;

    @Inject
    Relay relay;

    @Test
    void remoteShipsMoveSmoothlyAndTheOwnShipAnswersAtOnceUnderAddedLatency() throws Exception {
        Path root = NodeScript.projectRoot();
        NodeScript.runAndExpectSuccess(root.resolve("game-client/test/e2e/run-latency.mjs"), Map.of(
                "CHROMIUM_PATH", NodeScript.chromium().toString(),
                "RELAY_URL", "http://127.0.0.1:" + relay.port(),
                "DELAY_MS", "150",
                "SCREENSHOT_DIR", root.resolve("target/screenshots").toString()), TIMEOUT_SECONDS);
    }
}
