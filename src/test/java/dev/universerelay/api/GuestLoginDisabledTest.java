package dev.universerelay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.Relay;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@MicronautTest
@Property(name = "relay.guest-login.enabled", value = "false")
class GuestLoginDisabledTest {
    @Inject
    Relay relay;

    @Test
    void loginIsNotFoundWhenSwitchedOff() {
        assertThat(relay.post("/api/login", "{\"name\":\"ada\"}").statusCode()).isEqualTo(404);
    }
}
