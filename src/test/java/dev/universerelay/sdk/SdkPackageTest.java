package dev.universerelay.sdk;

import dev.universerelay.support.NodeScript;
import io.micronaut.context.annotation.Property;
import dev.universerelay.support.Relay;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SDK as a developer gets it from npm: {@code game-client/test/package/run-package-test.mjs}
 * packs {@code game-client/sdk} with {@code npm pack}, installs the tarball into a scratch
 * TypeScript project that must compile with {@code --strict} against the shipped types, and into
 * a Node.js 20 program that plays against this relay with the {@code ws} package: spawn, a move
 * acknowledged through the input-acknowledgement extension, a typed error, a typed close, a
 * resume. Two entities per player, so that the third spawn is refused.
 */
@MicronautTest
@Property(name = "relay.limits.max-entities", value = "2")
class SdkPackageTest {

    private static final long TIMEOUT_SECONDS = 300;

    @Inject
    Relay relay;

    @Test
    void thePackedSdkCompilesInTypeScriptAndPlaysFromNode() throws Exception {
        NodeScript.assertNodeModules("typescript");
        NodeScript.assertNodeModules("ws");
        NodeScript.runAndExpectSuccess(
                NodeScript.projectRoot().resolve("game-client/test/package/run-package-test.mjs"),
                Map.of("RELAY_URL", "http://127.0.0.1:" + relay.port(),
                        "SCRATCH_DIR", NodeScript.projectRoot().resolve("target/sdk-package-test").toString()),
                TIMEOUT_SECONDS);
    }
}
