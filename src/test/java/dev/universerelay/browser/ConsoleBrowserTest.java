package dev.universerelay.browser;

import dev.universerelay.support.NodeScript;
import dev.universerelay.support.Relay;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator console at {@code /console} in a real headless Chromium: a player's token is
 * refused, an admin signs in, watches a universe fill with scripted players, opens it (members,
 * live minimap through a spectator connection) and kicks one, whose client sees 4003. The browser
 * side is {@code game-client/test/e2e/run-console-e2e.mjs}; screenshots go to
 * {@code target/screenshots} (the ones in docs/images come from there).
 */
@MicronautTest
class ConsoleBrowserTest {
    private static final long TIMEOUT_SECONDS = 180;

    @Inject
    Relay relay;

    @Test
    void anAdminRunsTheRelayFromTheConsoleInARealBrowser() throws Exception {
        Path root = NodeScript.projectRoot();
        NodeScript.runAndExpectSuccess(root.resolve("game-client/test/e2e/run-console-e2e.mjs"), Map.of(
                "CHROMIUM_PATH", NodeScript.chromium().toString(),
                "RELAY_URL", "http://127.0.0.1:" + relay.port(),
                "SCREENSHOT_DIR", root.resolve("target/screenshots").toString(),
                "ADMIN_TOKEN", TestTokens.hs256(TestTokens.claims("operator-ada", Map.of("roles", List.of("admin")))),
                "PLAYER_TOKEN", TestTokens.hs256(TestTokens.claims("mallory", Map.of()))), TIMEOUT_SECONDS);
    }
}
