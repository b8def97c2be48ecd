package dev.universerelay.abuse;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signed tokens get no more say than guest logins over what every player is shown: a {@code name}
 * that breaks the guest-name rule (too long, bidi overrides, NUL, markup), a {@code sub} that is not
 * a string of bounded length, oversized {@code universes}/{@code roles} claims and oversized tokens
 * are refused with 401, and no other player ever sees them.
 */
@MicronautTest
class TokenClaimsAttackTest {
    @Inject
    Relay relay;

    private int handshake(Map<String, Object> claims) {
        return relay.handshake("names", TestTokens.hs256(claimsOf(claims)), null).status();
    }

    private String refusal(Map<String, Object> claims) {
        RawHttp.Response h = relay.handshake("names", TestTokens.hs256(claimsOf(claims)), null);
        assertThat(h.status()).isEqualTo(401);
        return h.body();
    }

    private static JWTClaimsSet claimsOf(Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(3600)));
        claims.forEach(builder::claim);
        return builder.build();
    }

    @Test
    void hostileNamesAndSubjectsAreRefusedWith401AndNeverReachOtherPlayers() throws Exception {
        try (Bystander bystander = relay.bystander("names")) {
            RelayTestClient watcher = relay.join("names", "watcher", BIN);
            for (String name : List.of("x".repeat(2000), "evil\u202Egnp.exe", "nul\u0000byte", "<img src=x onerror=alert(1)>",
                    "", "x".repeat(33), "space name")) {
                assertThat(handshake(Map.of("sub", "named", "name", name))).as("name %.40s", name).isEqualTo(401);
            }
            assertThat(handshake(Map.of("sub", 12345, "name", "numeric"))).as("numeric sub").isEqualTo(401);
            assertThat(refusal(Map.of("sub", 12345))).contains("the token's sub must be a string");
            assertThat(refusal(Map.of("sub", "named", "name", "evil\u202E"))).contains("the token's name must be 1 to 32 characters");
            assertThat(handshake(Map.of("sub", "s".repeat(129), "name", "long"))).as("129-character sub").isEqualTo(401);
            assertThat(handshake(Map.of("sub", "lists", "universes", Collections.nCopies(65, "names")))).isEqualTo(401);
            assertThat(handshake(Map.of("sub", "lists", "roles", Collections.nCopies(65, "player")))).isEqualTo(401);
            assertThat(handshake(Map.of("sub", "lists", "universes", List.of("n".repeat(129))))).isEqualTo(401);
            Map<String, Object> padded = new HashMap<>(Map.of("sub", "padded", "name", "padded"));
            padded.put("pad", "p".repeat(4200));
            // in the query, the request line's own limit refuses it first; in a header, the token bound does
            java.net.http.HttpResponse<String> oversized =
                    relay.call("GET", "/api/universes/names", TestTokens.hs256(claimsOf(padded)));
            assertThat(oversized.statusCode()).isEqualTo(401);
            assertThat(oversized.body()).contains("tokens are at most 4096 characters");
            // the rule lets ordinary names through, and a token without a name plays under its sub or "player"
            assertThat(handshake(Map.of("sub", "fine", "name", "Ada_Lovelace-2"))).isEqualTo(101);
            RelayTestClient auth0 = relay.connect("names", TestTokens.hs256(claimsOf(Map.of("sub", "auth0|5f7c1e"))), BIN);
            assertThat(auth0.awaitType("welcome").get("name")).isEqualTo("player");
            bystander.assertStillPlaying();
            assertThat(watcher.receivedOfType("joined")).extracting(m -> m.get("name"))
                    .allMatch(n -> n instanceof String s && s.matches("[A-Za-z0-9_-]{1,32}"));
            auth0.close(1000);
            watcher.close(1000);
        }
    }
}
