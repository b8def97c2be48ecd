package dev.universerelay.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.universerelay.support.TestTokens;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    private static final long TIMEOUT_SECONDS = 180;

    @Inject
    EmbeddedServer server;

    @Test
    void anAdminRunsTheRelayFromTheConsoleInARealBrowser() throws Exception {
        Path root = Path.of(System.getProperty("user.dir"));
        Path script = root.resolve("game-client/test/e2e/run-console-e2e.mjs");
        assertThat(Files.isExecutable(CHROMIUM))
                .as("Chromium is needed at %s for the browser test: apt-get install -y chromium", CHROMIUM).isTrue();
        assertThat(root.resolve("game-client/node_modules/playwright-core"))
                .as("playwright-core is needed: run (cd game-client && npm ci)").exists();

        ProcessBuilder builder = new ProcessBuilder("node", script.toString()).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        builder.environment().put("RELAY_URL", "http://127.0.0.1:" + server.getPort());
        builder.environment().put("SCREENSHOT_DIR", root.resolve("target/screenshots").toString());
        builder.environment().put("ADMIN_TOKEN",
                TestTokens.hs256(TestTokens.claims("operator-ada", Map.of("roles", List.of("admin")))));
        builder.environment().put("PLAYER_TOKEN", TestTokens.hs256(TestTokens.claims("mallory", Map.of())));

        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fail("cannot start node (Node.js 20 or newer is needed for the browser test): " + e.getMessage());
            return;
        }
        StringBuilder output = new StringBuilder();
        Thread pump = new Thread(() -> copyOutput(process, output), "console-e2e-output");
        pump.setDaemon(true);
        pump.start();
        boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(TimeUnit.SECONDS.toMillis(5));
        String log;
        synchronized (output) {
            log = output.toString();
        }
        assertThat(finished).as("the console browser test did not finish within %d s; its output:%n%s", TIMEOUT_SECONDS, log).isTrue();
        assertThat(process.exitValue()).as("the console browser test failed; its output:%n%s", log).isZero();
    }

    private static void copyOutput(Process process, StringBuilder output) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println(line);
                synchronized (output) {
                    output.append(line).append(System.lineSeparator());
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.append("(output stopped: ").append(e.getMessage()).append(')');
            }
        }
    }
}
