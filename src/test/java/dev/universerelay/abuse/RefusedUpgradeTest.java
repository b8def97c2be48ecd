package dev.universerelay.abuse;

import static dev.universerelay.support.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.support.Bystander;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refused upgrades and HTTP errors at the edge: each is answered {@code {"status","message"}} with
 * {@code Connection: close}, never echoes the request (URL, token), and the server closes the
 * connection once the answer is out, so that a refused client cannot keep the socket. A
 * bystander plays throughout. The refused requests come from 127.0.0.2, except the one that the
 * per-address cap refuses (the bystander's two connections fill 127.0.0.1's cap of 2).
 */
@MicronautTest
@Property(name = "relay.session.max-connections-per-address", value = "2")
@Property(name = "relay.session.max-universes", value = "1")
class RefusedUpgradeTest {
    private static final String ATTACKER = "127.0.0.2";

    @Inject
    Relay relay;

    private Bystander bystander;

    @BeforeEach
    void join() {
        bystander = relay.bystander("arena");
    }

    @AfterEach
    void leave() {
        bystander.assertStillPlaying();
        bystander.close();
    }

    /** Sends one request from {@code from}, reads its answer and asserts the edge's rules for it. */
    private RawHttp.Response refused(String from, String request, int status, String... secrets) {
        RawHttp.Response response = RawHttp.refusedAndClosed(from, relay.port(), request, request);
        assertThat(response.status()).as(request).isEqualTo(status);
        assertQuiet(response, request, secrets);
        return response;
    }

    /** The body is {"status":N,"message":"..."} and says nothing of the request. */
    private static void assertQuiet(RawHttp.Response response, String request, String... secrets) {
        Map<String, Object> body = RelayTestClient.parseObject(response.body());
        assertThat(body.keySet()).as("body of %s: %s", request, response.body()).containsExactlyInAnyOrder("status", "message");
        assertThat(RelayTestClient.number(body, "status")).isEqualTo(response.status());
        assertThat(response.body()).doesNotContain("_links", "href", "access_token", "/ws/", "/api/");
        for (String secret : secrets) {
            assertThat(response.body()).doesNotContain(secret);
            response.headers().values().forEach(v -> assertThat(v).doesNotContain(secret));
        }
    }

    @Test
    void aMissingBadOrExpiredTokenGets401InTheRefusalShapeAndTheConnectionIsClosed() {
        double before = RawHttp.refusals(relay.port(), "bad-token");
        refused(ATTACKER, RawHttp.upgrade(relay.port(), "/ws/universes/arena", "Sec-WebSocket-Protocol: relay.v1.bin"), 401);
        String forged = TestTokens.hs256(TestTokens.claims("mallory", Map.of()), "another-secret-of-at-least-32-bytes-length");
        refused(ATTACKER, RawHttp.upgrade(relay.port(), "/ws/universes/arena?access_token=" + forged,
                "Sec-WebSocket-Protocol: relay.v1.bin"), 401, forged, "mallory");
        String expired = token("late", Map.of("exp", Date.from(Instant.now().minusSeconds(5))));
        refused(ATTACKER, RawHttp.upgrade(relay.port(), "/ws/universes/arena?access_token=" + expired,
                "Sec-WebSocket-Protocol: relay.v1.bin"), 401, expired);
        refused(ATTACKER, RawHttp.upgrade(relay.port(), "/ws/universes/arena",
                "Sec-WebSocket-Protocol: relay.v1.bin", "Authorization: Bearer not.a.jwt"), 401, "not.a.jwt");
        assertThat(RawHttp.refusals(relay.port(), "bad-token")).isGreaterThanOrEqualTo(before + 4);
    }

    @Test
    void originNameSubprotocolCapAndNodeRefusalsAreClosedAfterTheirAnswer() {
        String valid = token("eve", Map.of());
        double origin = RawHttp.refusals(relay.port(), "origin");
        double bad = RawHttp.refusals(relay.port(), "bad-handshake");
        double node = RawHttp.refusals(relay.port(), "node-universes");
        double address = RawHttp.refusals(relay.port(), "address-connections");
        // a public host name: on a localhost one, Micronaut's CORS guard against drive-by-localhost
        // attacks answers a foreign Origin first (an empty 403, closed all the same)
        refused(ATTACKER, RawHttp.upgrade(relay.port(), "/ws/universes/arena?access_token=" + valid,
                "Sec-WebSocket-Protocol: relay.v1.bin", "Origin: https://evil.example")
                .replace("Host: 127.0.0.1:" + relay.port(), "Host: game.example"), 403, valid);
        refused(ATTACKER, RawHttp.upgrade(relay.port(), "/ws/universes/bad.name?access_token=" + valid,
                "Sec-WebSocket-Protocol: relay.v1.bin"), 400, valid);
        refused(ATTACKER, RawHttp.upgrade(relay.port(), "/ws/universes/arena?access_token=" + valid,
                "Sec-WebSocket-Protocol: relay.v2"), 400, valid);
        refused(ATTACKER, RawHttp.upgrade(relay.port(), "/ws/universes/second?access_token=" + valid,
                "Sec-WebSocket-Protocol: relay.v1.bin"), 503, valid);
        refused("127.0.0.1", RawHttp.upgrade(relay.port(), "/ws/universes/arena?access_token=" + valid,
                "Sec-WebSocket-Protocol: relay.v1.bin"), 429, valid);
        assertThat(RawHttp.refusals(relay.port(), "origin")).isGreaterThanOrEqualTo(origin + 1);
        assertThat(RawHttp.refusals(relay.port(), "bad-handshake")).isGreaterThanOrEqualTo(bad + 2);
        assertThat(RawHttp.refusals(relay.port(), "node-universes")).isGreaterThanOrEqualTo(node + 1);
        assertThat(RawHttp.refusals(relay.port(), "address-connections")).isGreaterThanOrEqualTo(address + 1);
    }

    @Test
    void connectionsNotUpgradedYetCountAgainstThePerAddressCap() {
        String from = "127.0.0.3";
        String request = RawHttp.upgrade(relay.port(), "/ws/universes/arena?access_token=" + token("carol", Map.of()),
                "Sec-WebSocket-Protocol: relay.v1.bin");
        List<RawHttp> silent = List.of(RawHttp.open(from, relay.port()), RawHttp.open(from, relay.port()));
        try {
            // connect() returns before the server's event loops have counted them
            await().atMost(Duration.ofSeconds(5)).until(() -> relay.pendingFrom(from) == 2);
            refused(from, request, 429);
        } finally {
            silent.forEach(RawHttp::close);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (RawHttp socket = RawHttp.open(from, relay.port())) {
                return socket.send(request).read().status() == 101;
            }
        });
    }

    @Test
    void plainHttpErrorsOnTheWebSocketPathsAreClosedToo() {
        String valid = token("eve", Map.of());
        // an unknown path under /ws/ with a bad token: the handshake filter's 400 comes first
        refused(ATTACKER, RawHttp.get(relay.port(), "/ws/nothing?access_token=" + valid + "x"), 400, valid);
        // a token but no upgrade: whatever the answer, it is an error and it closes
        RawHttp.Response response = RawHttp.refusedAndClosed(ATTACKER, relay.port(), RawHttp.get(relay.port(),
                "/ws/universes/arena?access_token=" + valid, "Sec-WebSocket-Protocol: relay.v1.bin"), "a GET without upgrade");
        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.body()).doesNotContain(valid, "_links", "/ws/");
    }

    @Test
    void apiErrorsDoNotEchoTheUrlOrTheToken() {
        String player = token("player", Map.of());
        String admin = token("operator", Map.of("roles", List.of("admin")));
        try (RawHttp socket = RawHttp.open(ATTACKER, relay.port())) {
            // an unknown path, with a token in the query (read on /ws/ only, so: not authenticated)
            RawHttp.Response notFound = socket.send(RawHttp.get(relay.port(), "/api/nothing?access_token=" + player)).read();
            assertThat(notFound.status()).isBetween(401, 404);
            assertQuiet(notFound, "/api/nothing", player);
            RawHttp.Response missing = socket.send(RawHttp.get(relay.port(), "/no-such-file.js?access_token=" + player)).read();
            assertThat(missing.status()).isBetween(401, 404);
            assertQuiet(missing, "/no-such-file.js", player);
            // the security filter's 401 (no token) and 403 (not an admin)
            RawHttp.Response unauthorized = socket.send("DELETE /api/universes/arena?access_token=" + player + "x HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(unauthorized.status()).isEqualTo(401);
            assertQuiet(unauthorized, "DELETE without a valid token", player);
            RawHttp.Response forbidden = socket.send("DELETE /api/universes/arena HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + player + "\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(forbidden.status()).isEqualTo(403);
            assertQuiet(forbidden, "DELETE as a player", player);
            // a controller's own 404 body names the universe asked for, not the URL or token
            RawHttp.Response noUniverse = socket.send("DELETE /api/universes/ghost HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + admin + "\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(noUniverse.status()).isEqualTo(404);
            assertThat(noUniverse.body()).doesNotContain(admin, "_links", "access_token", "/api/");
        }
    }
}
