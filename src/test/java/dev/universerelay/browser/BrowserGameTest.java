package dev.universerelay.browser;

import dev.universerelay.support.NodeScript;
import dev.universerelay.support.Relay;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Plays the browser game served by this server in a real headless Chromium: lobby, two pilots
 * in one universe seeing each other move, a third one elsewhere seeing nothing, a resume after a
 * dropped connection, and two pilots of an open world ({@code open-…}, interest management) who
 * see each other only while near. The browser side is {@code game-client/test/e2e/run-e2e.mjs}
 * (Node.js and {@code playwright-core} from {@code game-client/package.json}); this test starts
 * the server and runs it against it. Screenshots go to {@code target/screenshots}.
 */
@MicronautTest
class BrowserGameTest {

    private static final long TIMEOUT_SECONDS = 180;

    @Inject
    Relay relay;

    @Test
    void theGameIsPlayableInARealBrowser() throws Exception {
        Path root = NodeScript.projectRoot();
        NodeScript.runAndExpectSuccess(root.resolve("game-client/test/e2e/run-e2e.mjs"), Map.of(
                "CHROMIUM_PATH", NodeScript.chromium().toString(),
                "RELAY_URL", "http://127.0.0.1:" + relay.port(),
                "SCREENSHOT_DIR", root.resolve("target/screenshots").toString()), TIMEOUT_SECONDS);
    }
}
