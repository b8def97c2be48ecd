package dev.universerelay.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trusted proxy's address carries every client behind it, so the pending cap does not apply to
 * it (the proxy must bound its own clients); its silent connections are still closed at the
 * handshake deadline.
 */
@MicronautTest
@Property(name = "relay.trusted-proxies", value = "127.0.0.2")
@Property(name = "relay.edge.handshake-timeout", value = "2s")
@Property(name = "relay.edge.max-pending-per-address", value = "4")
class SilentSocketsBehindAProxyTest {
    @Inject
    Relay relay;

    @Test
    void aTrustedProxyIsNotHeldToThePendingCapButItsSilentSocketsStillTimeOut() {
        int port = relay.port();
        try (Bystander bystander = relay.bystander("proxied")) {
            double atAccept = RawHttp.refusals(port, "pending-connections");
            List<RawHttp> sockets = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sockets.add(RawHttp.open("127.0.0.2", port));
            }
            // the tenth, beyond a cap of 4, is still open before the deadline: not closed at accept
            assertThat(sockets.get(9).closedByServerWithin(Duration.ofMillis(500))).isFalse();
            for (RawHttp socket : sockets) {
                assertThat(socket.closedByServerWithin(Duration.ofSeconds(10))).isTrue();
                socket.close();
            }
            assertThat(RawHttp.refusals(port, "pending-connections")).isEqualTo(atAccept);
            bystander.assertStillPlaying();
        }
    }
}
