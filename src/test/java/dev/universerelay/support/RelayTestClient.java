package dev.universerelay.support;

import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ServerMessage;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A relay client for tests, written from the protocol document: the JDK's WebSocket client,
 * every received message turned into a map with a {@code t} (binary events included, their
 * {@code s} being the 32-bit wire value), and helpers to wait for messages and close codes.
 */
public final class RelayTestClient implements WebSocket.Listener {
    public static final String BIN = "relay.v1.bin";
    public static final String JSON = "relay.v1.json";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** One client for every test socket: a JDK HttpClient per socket would cost a selector thread each. */
    private static final HttpClient SOCKETS = HttpClient.newHttpClient();
    private static final JsonMapper MAPPER = JsonMapper.createDefault();
    /** The {@code c} of {@link #fence()} pings, far from the small numbers tests use themselves. */
    private static final AtomicLong FENCES = new AtomicLong(900_000_000L);

    private final List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> frameSizes = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer binary = ByteBuffer.allocate(0);
    private WebSocket socket;
    private String subprotocol;
    /** A stalled client reads nothing after its welcome, like a frozen browser tab. */
    private boolean stalled;

    /** A guest token from {@code POST /api/login}. */
    public static String login(int port, String name) {
        HttpResponse<String> response = post(port, "/api/login", "{\"name\":\"" + name + "\"}");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + response.statusCode() + " " + response.body());
        }
        return (String) parseObject(response.body()).get("access_token");
    }

    public static HttpResponse<String> post(int port, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }

    /** A request without a body, with {@code Authorization: Bearer token} (none when null). */
    public static HttpResponse<String> call(int port, String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Connects with the token in the query and the given subprotocol (null: none offered). */
    public static RelayTestClient connect(int port, String universe, String token, String subprotocol) {
        return connect(port, universe, "access_token=" + token, subprotocol, Map.of());
    }

    /**
     * Connects; throws {@link HandshakeRefused} with the HTTP status when the server refuses the
     * upgrade.
     */
    public static RelayTestClient connect(int port, String universe, String query, String subprotocol, Map<String, String> headers) {
        RelayTestClient client = new RelayTestClient();
        WebSocket.Builder builder = SOCKETS.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocol != null) {
            builder.subprotocols(subprotocol);
        }
        headers.forEach(builder::header);
        String uri = "ws://127.0.0.1:" + port + "/ws/universes/" + universe + (query.isEmpty() ? "" : "?" + query);
        try {
            client.socket = builder.buildAsync(URI.create(uri), client).join();
            client.subprotocol = client.socket.getSubprotocol();
            return client;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new HandshakeRefused(refused.getResponse().statusCode());
            }
            throw e;
        }
    }

    /** Connects, reads the welcome and then stops reading altogether. */
    public static RelayTestClient connectStalled(int port, String universe, String token, String subprotocol) {
        RelayTestClient client = new RelayTestClient();
        client.stalled = true;
        client.socket = SOCKETS.newWebSocketBuilder().subprotocols(subprotocol)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/universes/" + universe + "?access_token=" + token), client)
                .join();
        client.subprotocol = client.socket.getSubprotocol();
        client.awaitType("welcome");
        return client;
    }

    /** Connects and waits for {@code welcome}. */
    public static RelayTestClient join(int port, String universe, String name, String subprotocol) {
        RelayTestClient client = connect(port, universe, login(port, name), subprotocol);
        client.awaitType("welcome");
        return client;
    }

    /** The HTTP status of a refused handshake. */
    public static final class HandshakeRefused extends RuntimeException {
        private final int status;

        HandshakeRefused(int status) {
            super("handshake refused with HTTP " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    // ------------------------------------------------------------------ sending

    /** Sends messages in this connection's wire format, all in one frame. */
    public RelayTestClient send(ClientMessage... messages) {
        if (BIN.equals(subprotocol)) {
            ByteBuffer frame = ByteBuffer.allocate(messages.length * 32);
            for (ClientMessage m : messages) {
                frame.put(BinaryCodec.encode(m));
            }
            return sendBinary(frame.flip());
        }
        List<String> objects = new ArrayList<>();
        for (ClientMessage m : messages) {
            objects.add(json(m));
        }
        return sendText(messages.length == 1 ? objects.get(0) : "[" + String.join(",", objects) + "]");
    }

    public RelayTestClient sendText(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public RelayTestClient sendBinary(ByteBuffer bytes) {
        socket.sendBinary(bytes, true).join();
        return this;
    }

    private static String json(ClientMessage m) {
        if (m instanceof ClientMessage.Spawn s) {
            return "{\"t\":\"spawn\",\"ref\":%d,\"k\":%d,\"x\":%s,\"y\":%s,\"vx\":%s,\"vy\":%s}"
                    .formatted(s.ref(), s.kind(), s.x(), s.y(), s.vx(), s.vy());
        } else if (m instanceof ClientMessage.Move v) {
            String seq = v.wantsAck() ? ",\"seq\":" + v.seq() : "";
            return "{\"t\":\"move\",\"id\":%d,\"x\":%s,\"y\":%s,\"vx\":%s,\"vy\":%s%s}"
                    .formatted(v.id(), v.x(), v.y(), v.vx(), v.vy(), seq);
        } else if (m instanceof ClientMessage.Destroy d) {
            return "{\"t\":\"destroy\",\"id\":%d}".formatted(d.id());
        } else if (m instanceof ClientMessage.View v) {
            return "{\"t\":\"view\",\"x\":%s,\"y\":%s,\"r\":%s}".formatted(v.x(), v.y(), v.r());
        }
        return "{\"t\":\"ping\",\"c\":%s}".formatted(((ClientMessage.Ping) m).clientTime());
    }

    /** Spawns an entity and returns its id, learnt from the {@code ref} echo. */
    public long spawn(long ref, float x, float y, float vx, float vy) {
        send(new ClientMessage.Spawn(ref, 1, x, y, vx, vy));
        return number(awaitMessage(m -> "appeared".equals(m.get("t")) && number(m, "ref") == ref), "id");
    }

    /**
     * Spawns {@code count} entities, 20 to a frame (see {@link #spawnRow}): a universe filled for
     * a large welcome.
     */
    public RelayTestClient spawnMany(int count) {
        for (int row = 0; row * 20 < count; row++) {
            spawnRow(row, Math.min(20, count - row * 20));
        }
        return this;
    }

    /**
     * Spawns {@code size} entities in one frame, refs {@code row * 100 + 1...} at {@code (i, row)},
     * and waits until they have all come back as {@code appeared} (the only spawner of its universe).
     */
    public RelayTestClient spawnRow(int row, int size) {
        int expected = receivedOfType("appeared").size() + size;
        ClientMessage[] spawns = new ClientMessage[size];
        for (int i = 0; i < size; i++) {
            spawns[i] = new ClientMessage.Spawn(row * 100L + i + 1, 1, i, row, 0, 0);
        }
        send(spawns);
        await().atMost(Duration.ofSeconds(10)).until(() -> receivedOfType("appeared").size() == expected);
        return this;
    }

    /**
     * The ping/pong fence: sends a ping with a fresh {@code c} and waits for its pong. The relay
     * answers a connection's messages in order, so everything this client sent before has then
     * been applied and everything it caused for this client has arrived.
     */
    public RelayTestClient fence() {
        long c = FENCES.incrementAndGet();
        send(new ClientMessage.Ping(c));
        awaitMessage(m -> "pong".equals(m.get("t")) && number(m, "c") == c);
        return this;
    }

    /** Closes cleanly with the given code. */
    public void close(int code) {
        socket.sendClose(code, "bye").join();
    }

    /** Drops the TCP connection without a close frame, as a lost network would. */
    public void drop() {
        socket.abort();
    }

    // ------------------------------------------------------------------ receiving

    public String subprotocol() {
        return subprotocol;
    }

    public List<Map<String, Object>> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public List<Map<String, Object>> receivedOfType(String type) {
        return received().stream().filter(m -> type.equals(m.get("t"))).toList();
    }

    public List<Integer> frameSizes() {
        synchronized (frameSizes) {
            return List.copyOf(frameSizes);
        }
    }

    public Map<String, Object> awaitType(String type) {
        return awaitMessage(m -> type.equals(m.get("t")));
    }

    public Map<String, Object> awaitMessage(Predicate<Map<String, Object>> predicate) {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> received().stream().filter(predicate).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    /** Waits for an event of {@code type} ({@code appeared}, {@code velocity}, ...) about entity {@code id}. */
    public Map<String, Object> awaitEvent(String type, long id) {
        return awaitMessage(m -> isEvent(m, type, id));
    }

    public Map<String, Object> awaitError(String code) {
        return awaitMessage(m -> "error".equals(m.get("t")) && code.equals(m.get("code")));
    }

    /** Waits for the server to close the connection and returns its close code. */
    public int awaitClose() {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(15)).until(closeCode::isDone);
        return closeCode.join();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** This client's player number, from its latest {@code welcome}. */
    public long you() {
        List<Map<String, Object>> welcomes = receivedOfType("welcome");
        return number(welcomes.get(welcomes.size() - 1), "you");
    }

    /** The entities of this client's first welcome (the snapshot it joined with). */
    public List<Map<String, Object>> welcomeEntities() {
        return list(receivedOfType("welcome").get(0), "entities");
    }

    /** A list of objects in a message: a welcome's {@code entities} or {@code players}. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Map<String, Object> message, String field) {
        return (List<Map<String, Object>>) message.get(field);
    }

    /** Whether a message is an event of the given type about entity {@code id}. */
    public static boolean isEvent(Map<String, Object> message, String type, long id) {
        return type.equals(message.get("t")) && number(message, "id") == id;
    }

    /** The sum of a Prometheus metric's samples (all its tags) as a node reports them now. */
    public static double metric(int port, String name) {
        return get(port, "/prometheus").body().lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    public static long number(Map<String, Object> message, String field) {
        return ((Number) message.get(field)).longValue();
    }

    public static double decimal(Map<String, Object> message, String field) {
        return ((Number) message.get(field)).doubleValue();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(stalled ? 1 : Long.MAX_VALUE);
    }

    @Override
    public synchronized CompletableFuture<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            String frame = text.toString();
            text.setLength(0);
            frameSizes.add(frame.length());
            Object parsed = parse(frame);
            if (parsed instanceof List<?> list) {
                list.forEach(o -> received.add(asMap(o)));
            } else {
                received.add(asMap(parsed));
            }
        }
        if (stalled && receivedOfType("welcome").isEmpty()) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public synchronized CompletableFuture<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
        binary = joined.put(binary).put(data).flip();
        if (last) {
            frameSizes.add(binary.remaining());
            for (ServerMessage.DeltaEvent e : BinaryCodec.decodeServerFrame(binary)) {
                received.add(toMap(e));
            }
            binary = ByteBuffer.allocate(0);
        }
        return null;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.complete(1006);
    }

    private static Map<String, Object> toMap(ServerMessage.DeltaEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", e.type());
        m.put("id", e.id());
        if (e instanceof ServerMessage.Appeared a) {
            m.put("o", a.owner());
            m.put("k", a.kind());
            putState(m, a.x(), a.y(), a.vx(), a.vy(), a.serverTime());
            m.put("ref", a.ref());
        } else if (e instanceof ServerMessage.Velocity v) {
            putState(m, v.x(), v.y(), v.vx(), v.vy(), v.serverTime());
        } else if (e instanceof ServerMessage.Destroyed d) {
            m.put("s", d.serverTime());
        } else if (e instanceof ServerMessage.Ack k) {
            m.put("seq", k.seq());
            m.put("s", k.serverTime());
        }
        return m;
    }

    private static void putState(Map<String, Object> m, float x, float y, float vx, float vy, long s) {
        m.put("x", x);
        m.put("y", y);
        m.put("vx", vx);
        m.put("vy", vy);
        m.put("s", s);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    public static Map<String, Object> parseObject(String json) {
        return asMap(parse(json));
    }

    private static Object parse(String json) {
        try {
            return MAPPER.readValue(json.getBytes(StandardCharsets.UTF_8), Argument.OBJECT_ARGUMENT);
        } catch (IOException e) {
            throw new UncheckedIOException("server sent invalid JSON: " + json, e);
        }
    }
}
