package dev.universerelay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.RelayTestClient;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@MicronautTest
@Property(name = "relay.guest-login.enabled", value = "false")
class GuestLoginDisabledTest {
    @Inject
    EmbeddedServer server;

    @Test
    void loginIsNotFoundWhenSwitchedOff() {
        assertThat(RelayTestClient.post(server.getPort(), "/api/login", "{\"name\":\"ada\"}").statusCode()).isEqualTo(404);
    }
}
