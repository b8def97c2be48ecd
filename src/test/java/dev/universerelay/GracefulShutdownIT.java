package dev.universerelay;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.RelayEndpoint;
import dev.universerelay.support.RelayTestClient;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged jar as a process, as operators do (through {@code bin/relay}, the launcher
 * README.md and the Docker image use, with the JVM settings of {@code bin/jvm.options}), and stops
 * it with SIGTERM: connections get their pending events and then 1001, and the process exits with
 * status 0 within the drain time.
 */
class GracefulShutdownIT {
    private Process relay;

    @AfterEach
    void kill() {
        if (relay != null && relay.isAlive()) {
            relay.destroyForcibly();
        }
    }

    @Test
    void sigtermDrainsConnectionsAndExitsWithZero() throws Exception {
        Path jar = Path.of(System.getProperty("relay.jar", "target/relay.jar"));
        assertThat(jar).exists();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        File log = Files.createTempFile("relay-shutdown", ".log").toFile();
        Path launcher = Path.of(System.getProperty("relay.launcher", "bin/relay"));
        assertThat(launcher).isExecutable();
        ProcessBuilder start = new ProcessBuilder(launcher.toString(), "-Dmicronaut.server.port=" + port)
                .redirectErrorStream(true).redirectOutput(log);
        start.environment().put("RELAY_JAR", jar.toAbsolutePath().toString());
        relay = start.start(); // the launcher execs java: this process is the JVM, SIGTERM reaches it
        int finalPort = port;
        RelayEndpoint running = () -> finalPort;
        // as long as RelayProcess waits: a JVM start takes 20-30 s on a 2-core machine under load average 25
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> running.get("/health").statusCode() == 200);
        assertThat(relay.info().arguments()).as("the JVM runs on the shipped settings")
                .hasValueSatisfying(args -> assertThat(args).contains("@" + Path.of("bin/jvm.options").toAbsolutePath()));

        RelayTestClient ada = running.join("shutdown", "ada", BIN);
        RelayTestClient bob = running.join("shutdown", "bob", BIN);
        long id = ada.spawn(1, 0, 0, 0, 0);
        ada.send(new ClientMessage.Move(id, 3, 3, 0, 0));
        ada.fence();

        relay.destroy(); // SIGTERM
        assertThat(ada.awaitClose()).isEqualTo(1001);
        assertThat(bob.awaitClose()).isEqualTo(1001);
        assertThat(bob.receivedOfType("velocity")).hasSize(1);
        assertThat(relay.waitFor(15, TimeUnit.SECONDS)).as("exited within the drain time").isTrue();
        assertThat(relay.exitValue()).as("exit status; log:%n%s", Files.readString(log.toPath())).isZero();
    }
}
