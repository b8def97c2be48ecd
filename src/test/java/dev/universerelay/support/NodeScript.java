package dev.universerelay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the game client's Node.js scripts (game-client/test/...) against a relay started by
 * the test, and fails the test with the script's whole output when it fails or overruns. The
 * scripts are where the browser and the packaged SDK are driven; this keeps every such test's
 * process handling (bounded time, output shown as it comes) the same.
 */
public final class NodeScript {

    private NodeScript() {
    }

    /** The project's root directory (Maven runs the tests there). */
    public static Path projectRoot() {
        return Path.of(System.getProperty("user.dir"));
    }

    /**
     * Runs {@code node script} from the project root with extra environment variables and waits
     * for it at most {@code timeoutSeconds}; asserts it exited with 0.
     */
    public static void runAndExpectSuccess(Path script, Map<String, String> environment, long timeoutSeconds)
            throws InterruptedException {
        assertThat(script).as("the script").exists();
        ProcessBuilder builder = new ProcessBuilder("node", script.toString())
                .directory(projectRoot().toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fail("cannot start node (Node.js 20 or newer is needed): " + e.getMessage());
            return;
        }
        StringBuilder output = new StringBuilder();
        Thread pump = new Thread(() -> copyOutput(process, output), "node-script-output");
        pump.setDaemon(true);
        pump.start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(TimeUnit.SECONDS.toMillis(5));
        String log;
        synchronized (output) {
            log = output.toString();
        }
        assertThat(finished).as("%s did not finish within %d s; its output:%n%s", script.getFileName(), timeoutSeconds, log)
                .isTrue();
        assertThat(process.exitValue()).as("%s failed; its output:%n%s", script.getFileName(), log).isZero();
    }

    /**
     * The Chromium the browser tests drive: Debian's, or the one {@code CHROMIUM_PATH} names
     * (Ubuntu's snap: /snap/bin/chromium); asserts it and playwright-core are there.
     */
    public static Path chromium() {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium))
                .as("Chromium is needed at %s for the browser tests: apt-get install -y chromium", chromium)
                .isTrue();
        assertNodeModules("playwright-core");
        return chromium;
    }

    /** Asserts that the game client's npm dependencies are installed ({@code npm ci} in game-client). */
    public static void assertNodeModules(String module) {
        assertThat(Files.exists(projectRoot().resolve("game-client/node_modules").resolve(module)))
                .as("%s is needed: run (cd game-client && npm ci)", module)
                .isTrue();
    }

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
