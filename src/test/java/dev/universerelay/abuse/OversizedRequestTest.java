package dev.universerelay.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests beyond the edge's size limits (application.yml: a 4 KiB request line, 8 KiB of headers,
 * a 64 KiB body) get a 4xx and a closed connection, so that memory spent per connection on a
 * request stays small. Requests within them work. A bystander plays throughout.
 */
@MicronautTest
class OversizedRequestTest {
    @Inject
    Relay relay;

    private Bystander bystander;

    @BeforeEach
    void join() {
        bystander = relay.bystander("sizes");
    }

    @AfterEach
    void leave() {
        bystander.assertStillPlaying();
        bystander.close();
    }

    private void assertRefusedAndClosed(String request, String what) {
        RawHttp.Response response = RawHttp.refusedAndClosed("127.0.0.2", relay.port(), request, what);
        assertThat(response.status()).as(what).isBetween(400, 499);
        assertThat(response.body()).as(what).doesNotContain("xxxx", "_links");
    }

    private int status(String request) {
        try (RawHttp socket = RawHttp.open("127.0.0.2", relay.port())) {
            return socket.send(request).read().status();
        }
    }

    @Test
    void aRequestLineBeyond4KiBIsRefusedAndClosed() {
        assertThat(status(RawHttp.get(relay.port(), "/api/universes?pad=" + "x".repeat(3_000)))).isEqualTo(200);
        assertRefusedAndClosed(RawHttp.get(relay.port(), "/api/universes?pad=" + "x".repeat(5_000)), "long URL");
        assertRefusedAndClosed(RawHttp.upgrade(relay.port(), "/ws/universes/sizes?access_token=" + "x".repeat(5_000)),
                "long upgrade URL");
    }

    @Test
    void headersBeyond8KiBAreRefusedAndClosed() {
        assertThat(status(RawHttp.get(relay.port(), "/api/universes", "X-Pad: " + "x".repeat(6_000)))).isEqualTo(200);
        assertRefusedAndClosed(RawHttp.get(relay.port(), "/api/universes", "X-Pad: " + "x".repeat(9_000)), "one long header");
        String[] many = new String[100];
        for (int i = 0; i < many.length; i++) {
            many[i] = "X-Pad-" + i + ": " + "x".repeat(100);
        }
        assertRefusedAndClosed(RawHttp.get(relay.port(), "/api/universes", many), "many headers");
    }

    @Test
    void aBodyBeyond64KiBIsRefusedAndClosed() {
        String body = "{\"name\":\"ada\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        assertRefusedAndClosed("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body, "long body");
    }
}
