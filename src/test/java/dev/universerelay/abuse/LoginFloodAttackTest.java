package dev.universerelay.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.limits.Quotas;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.Relay;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/login} mints identities, so it is rate-limited per address: past the burst a
 * flood gets 429 with {@code Retry-After} and a JSON reason, other addresses still log in, and a
 * flood from many addresses leaves a bounded memory of them. Addresses are played through
 * {@code X-Forwarded-For} from the trusted 127.0.0.1; the bystander uses signed tokens, not logins.
 */
@MicronautTest
@Property(name = "relay.trusted-proxies", value = "127.0.0.1")
@Property(name = "relay.quotas.login-rate", value = "2")
@Property(name = "relay.quotas.login-burst", value = "10")
@Property(name = "relay.quotas.tracked-keys", value = "100")
class LoginFloodAttackTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    Relay relay;
    @Inject
    Quotas quotas;

    private HttpResponse<String> login(String name, String address) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/api/login"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLoginFloodFromOneAddressGets429WithRetryAfterAndOthersStillLogIn() throws Exception {
        try (Bystander bystander = relay.bystander("login-bystander")) {
            long started = System.nanoTime();
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 200 && System.nanoTime() - started < Duration.ofSeconds(20).toNanos(); i++) {
                HttpResponse<String> response = login("flood" + i, "203.0.113.20");
                if (response.statusCode() == 200) {
                    ok++;
                } else {
                    assertThat(response.statusCode()).isEqualTo(429);
                    assertThat(response.body()).startsWith("{\"status\":429,\"message\":\"too many logins");
                    assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
                    limited++;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(ok).as("logins granted in %.1f s", seconds).isLessThanOrEqualTo(10 + (int) Math.ceil(2 * seconds) + 1);
            assertThat(limited).isPositive();
            assertThat(login("honest", "198.51.100.20").statusCode()).isEqualTo(200);
            bystander.assertStillPlaying();
            assertThat(relay.metric("relay_refusals_total")).isGreaterThanOrEqualTo(limited);
        }
    }

    @Test
    void aFloodOfAddressesKeepsTheirMemoryBounded() throws Exception {
        for (int i = 0; i < 1000; i++) {
            login("many", "10." + (i / 250) + "." + (i % 250) + ".1");
        }
        assertThat(quotas.trackedLoginAddresses()).isLessThanOrEqualTo(100);
    }
}
