package dev.universerelay.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A relay a test can reach on 127.0.0.1, whatever started it: the {@code @MicronautTest} one
 * ({@link Relay}), a cluster node ({@link RelayNode}) or a child process ({@link RelayProcess}).
 * It gives every end-to-end test one way to log in, join, watch a bystander, open a raw socket and
 * read a metric, so that a test says what it does with the relay and not how to reach it.
 */
public interface RelayEndpoint {
    /** The receive buffer of a client that never reads: the server's writes stop after a few KiB. */
    int NEVER_READING_BUFFER = 4096;

    int port();

    /** A guest who logs in as {@code name} ({@code POST /api/login}), joins and has read its welcome. */
    default RelayTestClient join(String universe, String name, String subprotocol) {
        return RelayTestClient.join(port(), universe, name, subprotocol);
    }

    /**
     * A player with a token signed by the test secret for {@code subject} (no login, so that no
     * login limit keeps it out), who has read its welcome.
     */
    default RelayTestClient joinAs(String universe, String subject, String subprotocol) {
        RelayTestClient client = connect(universe, TestTokens.token(subject), subprotocol);
        client.awaitType("welcome");
        return client;
    }

    /** A connection with this token, its welcome not awaited (throws {@link RelayTestClient.HandshakeRefused}). */
    default RelayTestClient connect(String universe, String token, String subprotocol) {
        return RelayTestClient.connect(port(), universe, token, subprotocol);
    }

    /**
     * A connection with this query string ({@code access_token=...&resume=...}, or none) and these
     * request headers (an Origin, an Authorization, a forwarded address).
     */
    default RelayTestClient connectWithQuery(String universe, String query, String subprotocol, Map<String, String> headers) {
        return RelayTestClient.connect(port(), universe, query, subprotocol, headers);
    }

    /** A guest token from {@code POST /api/login}. */
    default String login(String name) {
        return RelayTestClient.login(port(), name);
    }

    /** Two honest players in {@code universe} who must keep playing through an attack. */
    default Bystander bystander(String universe) {
        return Bystander.join(port(), universe);
    }

    /** {@code GET path} on the relay's HTTP API. */
    default HttpResponse<String> get(String path) {
        return RelayTestClient.get(port(), path);
    }

    /** {@code POST path} with a JSON body on the relay's HTTP API. */
    default HttpResponse<String> post(String path, String json) {
        return RelayTestClient.post(port(), path, json);
    }

    /** {@code method path} without a body, as the holder of {@code token} (a bearer; none when null). */
    default HttpResponse<String> call(String method, String path, String token) {
        return RelayTestClient.call(port(), method, path, token);
    }

    /** Whether the relay answers its readiness probe with 200 (false while it cannot be reached). */
    default boolean ready() {
        try {
            return get("/health/readiness").statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** The sum of a Prometheus metric's samples (all its tags) as {@code /prometheus} shows it now. */
    default double metric(String name) {
        return RelayTestClient.metric(port(), name);
    }

    /** A bare WebSocket client (frames no library sends) with a token signed for {@code subject}. */
    default RawWebSocket rawSocket(String universe, String subject) throws IOException {
        return RawWebSocket.open(port(), universe, TestTokens.token(subject));
    }

    /**
     * One WebSocket handshake by hand (JSON subprotocol, the token in the query, none when null),
     * to read what a refused one answers: its status and JSON body, which a WebSocket library does
     * not show. An accepted one (101) is dropped at once without a close frame. {@code forwardedFor}
     * plays a client address behind a trusted proxy (the test's {@code relay.trusted-proxies} must
     * list 127.0.0.1); null: none.
     */
    default RawHttp.Response handshake(String universe, String token, String forwardedFor) {
        List<String> headers = new ArrayList<>(List.of("Sec-WebSocket-Protocol: relay.v1.json"));
        if (forwardedFor != null) {
            headers.add("X-Forwarded-For: " + forwardedFor);
        }
        try (RawHttp socket = RawHttp.open(null, port())) {
            return socket.send(RawHttp.upgrade(port(), "/ws/universes/" + universe
                    + (token == null ? "" : "?access_token=" + token), headers.toArray(String[]::new))).read();
        }
    }

    /**
     * A bare WebSocket client for {@code subject} with a tiny receive buffer, which the test then
     * never reads: the attacker of the flood, storm and slow-reader tests. Throws a refused upgrade.
     */
    default RawWebSocket neverReadingSocket(String universe, String subject) throws IOException {
        return neverReadingSocketWithToken(universe, TestTokens.token(subject));
    }

    /** {@link #neverReadingSocket} with a given token (several sockets of one identity). */
    default RawWebSocket neverReadingSocketWithToken(String universe, String token) throws IOException {
        return RawWebSocket.openWithReceiveBuffer(port(), universe, token, NEVER_READING_BUFFER);
    }
}
