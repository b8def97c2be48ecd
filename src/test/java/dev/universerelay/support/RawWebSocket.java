package dev.universerelay.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A bare RFC 6455 client over a plain socket, for frames that well-behaved client libraries refuse
 * to send (invalid UTF-8 in a text frame, reserved bits, endless fragments, ping floods) and for
 * reading exactly what the server sends (pongs, close frames). Public for the attack tests.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    /** The RSV1 bit (permessage-deflate's "compressed"), as the second argument of {@link #frame}. */
    public static final int RSV1 = 0x4;
    public static final int RSV2 = 0x2;

    /** One frame read from the server. */
    public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        /** The status code of a close frame (1005 when it has none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawWebSocket open(int port, String universe, String token) throws IOException {
        return open(new Socket("127.0.0.1", port), port, universe, token);
    }

    /** Opens with extra request header lines (each without its line end), e.g. an extension offer. */
    public static RawWebSocket open(int port, String universe, String token, String... headers) throws IOException {
        return open(new Socket("127.0.0.1", port), port, universe, token, headers);
    }

    /**
     * Opens with a small socket receive buffer (set before connecting, so that the TCP window
     * stays small): a client that then never reads stops the server's writes after a few KiB.
     */
    public static RawWebSocket openWithReceiveBuffer(int port, String universe, String token, int receiveBufferBytes)
            throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
        return open(socket, port, universe, token);
    }

    private static RawWebSocket open(Socket socket, int port, String universe, String token, String... headers)
            throws IOException {
        RawWebSocket ws = new RawWebSocket(socket);
        StringBuilder extra = new StringBuilder();
        for (String header : headers) {
            extra.append(header).append("\r\n");
        }
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String request = "GET /ws/universes/" + universe + "?access_token=" + token + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: relay.v1.json\r\n" + extra + "\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        String status = ws.readLine();
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        for (String line = ws.readLine(); !line.isEmpty(); line = ws.readLine()) {
            ws.responseHeaders.add(line);
        }
        return ws;
    }

    private final java.util.List<String> responseHeaders = new java.util.ArrayList<>();

    /** The upgrade response's header lines. */
    public java.util.List<String> responseHeaders() {
        return responseHeaders;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** Sends one final, masked frame with the given opcode. */
    public void sendFrame(int opcode, byte[] payload) throws IOException {
        send(frame(true, 0, opcode, payload));
    }

    /** Sends bytes as they are (frames made by {@link #frame}, several at once for a flood). */
    public void send(byte[] frames) throws IOException {
        out.write(frames);
        out.flush();
    }

    /** Sends a close frame with {@code code}. */
    public void sendClose(int code) throws IOException {
        sendFrame(CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
    }

    /**
     * One masked client frame: {@code rsv} is the three reserved bits as a number (RSV1 = 4,
     * RSV2 = 2, RSV3 = 1); payloads up to 65535 bytes.
     */
    public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream(payload.length + 8);
        byte[] mask = {1, 2, 3, 4};
        frame.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        }
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** {@code count} copies of one frame, to send in one write. */
    public static byte[] repeat(byte[] frame, int count) {
        byte[] all = new byte[frame.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(frame, 0, all, i * frame.length, frame.length);
        }
        return all;
    }

    /** Reads the next frame (blocking, up to the socket timeout). */
    public Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = (int) in.readLong();
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new java.io.EOFException("connection closed inside a frame");
        }
        return new Frame((first & 0x80) != 0, (first >> 4) & 7, first & 0x0f, payload);
    }

    /** Sets how long a read may block. */
    public void readTimeout(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /** Whether the server has closed the connection: reads (and drops) what is left until the end of input. */
    public boolean isClosedByServer() {
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Reads frames until a close frame and returns its status code. */
    public int readCloseCode() throws IOException {
        return readUntilClose(payload -> { });
    }

    /**
     * Reads frames until a close frame, handing every other frame's payload to {@code frames},
     * and returns the close frame's status code.
     */
    public int readUntilClose(java.util.function.Consumer<byte[]> frames) throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                return frame.closeCode();
            }
            frames.accept(frame.payload());
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
