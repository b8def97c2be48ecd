package dev.universerelay.recording;


import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.support.RelayTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * A viewer of {@code /ws/replays/{id}} (or of a live universe) that notes when each message
 * arrived, so that tests can compare the replay's spacing with the recorded one. Binary events
 * are decoded like {@link RelayTestClient} does (their {@code s} is the wire's 32-bit value).
 */
final class ReplayWatcher implements WebSocket.Listener {
    private static final HttpClient SOCKETS = HttpClient.newHttpClient();

    /** A message and when it arrived ({@link System#nanoTime()}). */
    record Arrival(long nanos, Map<String, Object> message) {
        String type() {
            return (String) message.get("t");
        }
    }

    private final List<Arrival> arrivals = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer binary = ByteBuffer.allocate(0);
    private WebSocket socket;

    /** The HTTP status of a refused upgrade. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status) {
            super("handshake refused with " + status);
            this.status = status;
        }
    }

    static ReplayWatcher watch(int port, String path, String token, String subprotocol) {
        ReplayWatcher watcher = new ReplayWatcher();
        try {
            watcher.socket = SOCKETS.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).subprotocols(subprotocol)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + path + (path.contains("?") ? "&" : "?") + "access_token=" + token), watcher).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new Refused(refused.getResponse().statusCode());
            }
            throw e;
        }
        return watcher;
    }

    void sendText(String json) {
        socket.sendText(json, true).join();
    }

    void close() {
        socket.sendClose(1000, "").join();
    }

    synchronized List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    synchronized List<Arrival> arrivalsOf(String... types) {
        List<String> wanted = List.of(types);
        return arrivals.stream().filter(a -> wanted.contains(a.type())).toList();
    }

    synchronized int count() {
        return arrivals.size();
    }

    /** Waits for the first message, from the {@code from}-th on, that matches. */
    Arrival await(int from, Predicate<Map<String, Object>> matching) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> find(from, matching), a -> a != null);
    }

    private synchronized Arrival find(int from, Predicate<Map<String, Object>> matching) {
        for (int i = from; i < arrivals.size(); i++) {
            if (matching.test(arrivals.get(i).message())) {
                return arrivals.get(i);
            }
        }
        return null;
    }

    int awaitClose() {
        return closeCode.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            long now = System.nanoTime();
            Object parsed = RelayTestClient.parseObject("{\"a\":" + text + "}").get("a");
            text.setLength(0);
            if (parsed instanceof List<?> list) {
                for (Object o : list) {
                    arrivals.add(new Arrival(now, asMap(o)));
                }
            } else {
                arrivals.add(new Arrival(now, asMap(parsed)));
            }
        }
        return null;
    }

    @Override
    public synchronized CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
        binary = joined.put(binary).put(data).flip();
        if (last) {
            long now = System.nanoTime();
            for (ServerMessage.DeltaEvent e : BinaryCodec.decodeServerFrame(binary)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("t", e.type());
                m.put("id", e.id());
                if (e instanceof ServerMessage.Velocity v) {
                    m.put("x", (double) v.x());
                    m.put("s", v.serverTime());
                } else if (e instanceof ServerMessage.Appeared a) {
                    m.put("o", a.owner());
                    m.put("x", (double) a.x());
                    m.put("s", a.serverTime());
                } else if (e instanceof ServerMessage.Destroyed d) {
                    m.put("s", d.serverTime());
                }
                arrivals.add(new Arrival(now, m));
            }
            binary = ByteBuffer.allocate(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.complete(1006);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
