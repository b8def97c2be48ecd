package dev.universerelay.load;

import static dev.universerelay.load.ProtocolCodec.*;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A misbehaving client on the JDK's own WebSocket (java.net.http), not on Gatling's DSL.
 *
 * <p>Why: the point of an abuser is the close code the relay ends it with (1008, 1009), and
 * Gatling's WebSocket DSL never exposes a close code (a close while idle is only logged at
 * debug level, and Gatling would try to reconnect on the next send). Here
 * {@link #closed} completes with the exact code. Everything is asynchronous: the Gatling
 * virtual user that owns an abuser only polls {@link CompletableFuture#isDone()} between
 * pauses, so no Gatling thread ever blocks.
 */
public final class AbuserClient implements WebSocket.Listener {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .executor(Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "abuser-ws");
        t.setDaemon(true);
        return t;
      }))
      .build();

  final LoadConfig.Mode mode;
  final PlayerState state;
  /** The welcome, which must be the first message. */
  final CompletableFuture<Void> welcomed = new CompletableFuture<>();
  /** The id of the ship of our first spawn (from the ref in our own appeared). */
  final CompletableFuture<Long> ownShip = new CompletableFuture<>();
  /** The first error the relay sent us. */
  final CompletableFuture<String> firstError = new CompletableFuture<>();
  /** The close code the relay ended the connection with; -1 when it just dropped it. */
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  final List<String> errorCodes = new CopyOnWriteArrayList<>();
  final List<String> problems = new CopyOnWriteArrayList<>();

  private WebSocket socket;
  private final StringBuilder text = new StringBuilder();
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private boolean firstMessage = true;

  private AbuserClient(LoadConfig.Mode mode, PlayerState state) {
    this.mode = mode;
    this.state = state;
  }

  /** Handshake with the run's subprotocol; completes when the socket is open. */
  public static CompletableFuture<AbuserClient> connect(PlayerState state, String token) {
    AbuserClient c = new AbuserClient(state.mode, state);
    URI uri = URI.create(LoadConfig.WS_BASE_URL + "/ws/universes/" + state.universe
        + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    return HTTP.newWebSocketBuilder()
        .subprotocols(state.mode.subprotocol)
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, c)
        .thenApply(ws -> {
          c.socket = ws;
          return c;
        });
  }

  // ------------------------------------------------------------------ sending

  /** One frame with these messages in the run's mode. Fails once the relay has closed. */
  public CompletableFuture<WebSocket> send(List<? extends ClientMessage> messages) {
    return mode == LoadConfig.Mode.BIN
        ? socket.sendBinary(ByteBuffer.wrap(binary(messages)), true)
        : socket.sendText(json(messages), true);
  }

  public CompletableFuture<WebSocket> sendRaw(byte[] bytes) {
    return socket.sendBinary(ByteBuffer.wrap(bytes), true);
  }

  public CompletableFuture<WebSocket> sendRaw(String json) {
    return socket.sendText(json, true);
  }

  /** Completes after a pause, without holding a thread. */
  static CompletableFuture<Void> after(Duration d) {
    return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(d.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** The close code, or -2 when the relay did not close within the timeout. */
  public CompletableFuture<Integer> closeCode(Duration timeout) {
    return closed.completeOnTimeout(-2, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------ receiving

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      String frame = text.toString();
      text.setLength(0);
      try {
        for (ServerMessage m : decodeText(frame)) handle(m);
      } catch (ProtocolViolation e) {
        problems.add(e.getMessage());
      }
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    binary.writeBytes(chunk);
    if (last) {
      byte[] frame = binary.toByteArray();
      binary.reset();
      try {
        for (ServerMessage m : decodeBinary(frame)) handle(m);
      } catch (ProtocolViolation e) {
        problems.add(e.getMessage());
      }
    }
    ws.request(1);
    return null;
  }

  private void handle(ServerMessage m) {
    boolean first = firstMessage;
    firstMessage = false;
    if (m instanceof Control c && c.type().equals("welcome")) {
      if (!first) problems.add("welcome was not the first message");
      state.onWelcome(c.body(), RelayStats.now());
      welcomed.complete(null);
    } else if (first) {
      problems.add("first message was " + m + ", not welcome");
    } else if (m instanceof Control c && c.type().equals("error")) {
      String code = c.body().path("code").asText("?");
      errorCodes.add(code);
      firstError.complete(code);
    } else if (m instanceof Appeared a && a.o() == state.you && a.ref() == 1) {
      ownShip.complete(a.id());
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    problems.add("socket error: " + error);
    closed.complete(-1);
  }
}
