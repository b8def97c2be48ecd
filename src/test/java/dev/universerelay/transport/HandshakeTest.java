package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient.HandshakeRefused;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the server checks before and right after the upgrade (protocol sections 2, 9 and 11). */
@MicronautTest
class HandshakeTest {
    @Inject
    Relay relay;

    private int refusal(String universe, String query, String subprotocol, Map<String, String> headers) {
        try {
            relay.connectWithQuery(universe, query, subprotocol, headers);
        } catch (HandshakeRefused e) {
            return e.status();
        }
        throw new AssertionError("the handshake was accepted");
    }

    private String token(Map<String, Object> extra) {
        return TestTokens.hs256(TestTokens.claims("player-" + System.nanoTime(), extra));
    }

    @Test
    void missingMalformedBadlySignedExpiredOrUnsignedTokensGet401() {
        assertThat(refusal("alpha", "", BIN, Map.of())).isEqualTo(401);
        assertThat(refusal("alpha", "access_token=not.a.jwt", BIN, Map.of())).isEqualTo(401);
        String otherSecret = TestTokens.hs256(TestTokens.claims("mallory", Map.of()), "another-secret-of-at-least-32-bytes-length");
        assertThat(refusal("alpha", "access_token=" + otherSecret, BIN, Map.of())).isEqualTo(401);
        String expired = token(Map.of("exp", Date.from(Instant.now().minusSeconds(5))));
        assertThat(refusal("alpha", "access_token=" + expired, BIN, Map.of())).isEqualTo(401);
        String unsigned = TestTokens.unsigned(TestTokens.claims("mallory", Map.of()));
        assertThat(refusal("alpha", "access_token=" + unsigned, BIN, Map.of())).isEqualTo(401);
    }

    @Test
    void tokensWithoutExpOrSubOrWithWronglyTypedClaimsGet401() {
        Map<String, Object> noExp = new HashMap<>();
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("forever").build();
        assertThat(refusal("alpha", "access_token=" + TestTokens.hs256(claims), BIN, Map.of())).isEqualTo(401);
        var noSub = new com.nimbusds.jwt.JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(60))).build();
        assertThat(refusal("alpha", "access_token=" + TestTokens.hs256(noSub), BIN, Map.of())).isEqualTo(401);
        noExp.put("universes", "alpha"); // a string, not a list
        assertThat(refusal("alpha", "access_token=" + token(noExp), BIN, Map.of())).isEqualTo(401);
        assertThat(refusal("alpha", "access_token=" + token(Map.of("universes", List.of(1, 2))), BIN, Map.of())).isEqualTo(401);
        String notYet = token(Map.of("nbf", Date.from(Instant.now().plusSeconds(60))));
        assertThat(refusal("alpha", "access_token=" + notYet, BIN, Map.of())).isEqualTo(401);
    }

    @Test
    void badUniverseNamesAndUnsupportedSubprotocolsGet400BeforeTheToken() {
        assertThat(refusal("bad.name", "", BIN, Map.of())).isEqualTo(400);
        assertThat(refusal("x".repeat(65), "", BIN, Map.of())).isEqualTo(400);
        assertThat(refusal("alpha", "access_token=" + token(Map.of()), "relay.v2", Map.of())).isEqualTo(400);
    }

    @Test
    void foreignOriginsGet403FirstWhileSameOriginAndNoOriginAreAccepted() {
        String query = "access_token=" + token(Map.of());
        assertThat(refusal("bad.name", "", BIN, Map.of("Origin", "https://evil.example"))).isEqualTo(403);
        RelayTestClient sameOrigin = relay.connectWithQuery("alpha", query, BIN,
                Map.of("Origin", "http://127.0.0.1:" + relay.port()));
        sameOrigin.awaitType("welcome");
        RelayTestClient noOrigin = relay.connectWithQuery("alpha", "access_token=" + token(Map.of()), BIN, Map.of());
        noOrigin.awaitType("welcome");
    }

    @Test
    void theChosenSubprotocolIsAnsweredAndNoneMeansJson() {
        RelayTestClient bin = relay.connect("sub", token(Map.of()), BIN);
        assertThat(bin.subprotocol()).isEqualTo(BIN);
        RelayTestClient json = relay.connect("sub", token(Map.of()), JSON);
        assertThat(json.subprotocol()).isEqualTo(JSON);
        RelayTestClient none = relay.connect("sub", token(Map.of()), null);
        assertThat(none.subprotocol()).isEmpty();
        long id = none.send(new dev.universerelay.protocol.ClientMessage.Spawn(3, 2, 1, 1, 0, 0))
                .awaitType("appeared").get("id") instanceof Number n ? n.longValue() : -1;
        assertThat(id).isPositive();
    }

    @Test
    void theBearerHeaderWorksForNonBrowserClients() {
        RelayTestClient client = relay.connectWithQuery("alpha", "", BIN, Map.of("Authorization", "Bearer " + token(Map.of())));
        client.awaitType("welcome");
    }

    @Test
    void universesClaimAdmitsNamesAndPrefixesAndClosesOthersWith4003BeforeWelcome() {
        String limited = token(Map.of("universes", List.of("arena", "team-*")));
        relay.connect("arena", limited, BIN).awaitType("welcome");
        relay.connect("team-red", limited, BIN).awaitType("welcome");
        RelayTestClient refused = relay.connect("lobby", limited, BIN);
        assertThat(refused.awaitClose()).isEqualTo(4003);
        assertThat(refused.receivedOfType("welcome")).isEmpty();
        relay.connect("lobby", token(Map.of("universes", List.of("*"))), BIN).awaitType("welcome");
    }

    @Test
    void guestTokensFromLoginWorkAndCarryTheName() {
        RelayTestClient ada = relay.join("guests", "ada", JSON);
        assertThat(ada.receivedOfType("welcome").get(0).get("name")).isEqualTo("ada");
        assertThatThrownBy(() -> relay.connectWithQuery("guests", "access_token=", BIN, Map.of()))
                .isInstanceOfSatisfying(HandshakeRefused.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void permessageDeflateIsNotNegotiatedByDefault() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", relay.port())) {
            String request = "GET /ws/universes/deflate?access_token=" + token(Map.of()) + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + relay.port() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.setSoTimeout(5000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.append(line).append('\n');
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("permessage-deflate");
        }
    }
}
