package dev.universerelay.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.universerelay.support.Relay;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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

    /** Debian's Chromium, or the one CHROMIUM_PATH names (Ubuntu's snap: /snap/bin/chromium). */
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    private static final long TIMEOUT_SECONDS = 180;

    @Inject
    Relay relay;

    @Test
    void theGameIsPlayableInARealBrowser() throws Exception {
        Path root = Path.of(System.getProperty("user.dir"));
        Path script = root.resolve("game-client/test/e2e/run-e2e.mjs");
        assertThat(Files.isExecutable(CHROMIUM))
                .as("Chromium is needed at %s for the browser test: apt-get install -y chromium", CHROMIUM)
                .isTrue();
        assertThat(script).as("the end-to-end script").exists();
        assertThat(root.resolve("game-client/node_modules/playwright-core"))
                .as("playwright-core is needed: run (cd game-client && npm ci)")
                .exists();

        ProcessBuilder builder = new ProcessBuilder("node", script.toString())
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        builder.environment().put("RELAY_URL", "http://127.0.0.1:" + relay.port());
        builder.environment().put("SCREENSHOT_DIR", root.resolve("target/screenshots").toString());

        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fail("cannot start node (Node.js 20 or newer is needed for the browser test): " + e.getMessage());
            return;
        }
        StringBuilder output = new StringBuilder();
        Thread pump = new Thread(() -> copyOutput(process, output), "e2e-output");
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
        assertThat(finished).as("the browser test did not finish within %d s; its output:%n%s", TIMEOUT_SECONDS, log).isTrue();
        assertThat(process.exitValue()).as("the browser test failed; its output:%n%s", log).isZero();
    }

    /** Prints the script's output as it comes (so a stuck step is visible) and keeps it for the report. */
    private static void copyOutput(Process process, StringBuilder output) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
