package dev.universerelay.abuse;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The query of a universe handshake is rewritten before Micronaut reads it (the token moves to a
 * header, QueryTokenHandover): hostile queries must get the same answers as before, never a token
 * from somewhere the client did not put one, never an error of the rewrite itself, and a bystander
 * keeps playing. A valid token next to junk still plays; a token that a header cannot carry, a
 * forged or empty one is refused; the client's own header still wins over the query.
 */
@MicronautTest
class QueryTokenAttackTest {
    private static final String ATTACKER = "127.0.0.2";

    @Inject
    Relay relay;

    private RawHttp.Response upgrade(String target, String... headers) {
        try (RawHttp socket = RawHttp.open(ATTACKER, relay.port())) {
            return socket.send(RawHttp.upgrade(relay.port(), target, headers)).read();
        }
    }

    @Test
    void hostileQueriesGetTheAnswersTheyAlwaysGotAndABystanderPlays() {
        try (Bystander bystander = relay.bystander("queries")) {
            String valid = TestTokens.token("mallory");
            String base = "/ws/universes/queries?";
            List<String> refused = List.of(
                    base + "access_token=a%0D%0AX-Injected:%20yes",           // CR LF: no header can carry it
                    base + "access_token=" + valid.substring(0, valid.length() - 4) + "AAAA", // a forged signature
                    base + "access_token=&access_token=" + valid,                // the reader takes the first, empty one
                    base + "access_token=%20&x=" + valid,
                    base + "&&&=&access_token",
                    base + "access_token=" + "x".repeat(3000));
            for (String target : refused) {
                RawHttp.Response answer = upgrade(target, "Sec-WebSocket-Protocol: relay.v1.json");
                assertThat(answer.status()).as("%.60s", target).isEqualTo(401);
                assertThat(answer.body()).doesNotContain(valid).doesNotContain("X-Injected");
            }

            // the client's own Authorization header wins over the query, as it always did
            RelayTestClient both = relay.connectWithQuery("queries", "access_token=" + TestTokens.token("queryside"), BIN,
                    java.util.Map.of("Authorization", "Bearer " + TestTokens.token("headerside")));
            assertThat(both.awaitType("welcome").get("name")).isEqualTo("headerside");
            both.close(1000);

            // junk around a valid token does not stop it, and the player plays
            RelayTestClient mallory = relay.connectWithQuery("queries", "&=&x=1&access_token=" + valid + "&&y", BIN, java.util.Map.of());
            mallory.awaitType("welcome");
            long id = mallory.spawn(1, 10, 10, 0, 0);
            assertThat(id).isPositive();
            bystander.assertStillPlaying();
            mallory.close(1000);
            assertThat(mallory.awaitClose()).isEqualTo(1000);
        }
    }
}
