package dev.universerelay.transport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A bare RFC 6455 client over a plain socket, for frames that well-behaved client libraries refuse
 * to send (invalid UTF-8 in a text frame, for one).
 */
final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawWebSocket open(int port, String universe, String token) throws IOException {
        return open(new Socket("127.0.0.1", port), port, universe, token);
    }

    /**
     * Opens with a small socket receive buffer (set before connecting, so that the TCP window
     * stays small): a client that then never reads stops the server's writes after a few KiB.
     */
    static RawWebSocket openWithReceiveBuffer(int port, String universe, String token, int receiveBufferBytes)
            throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
        return open(socket, port, universe, token);
    }

    private static RawWebSocket open(Socket socket, int port, String universe, String token) throws IOException {
        RawWebSocket ws = new RawWebSocket(socket);
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String request = "GET /ws/universes/" + universe + "?access_token=" + token + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: relay.v1.json\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        String status = ws.readLine();
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!ws.readLine().isEmpty()) {
            // skip headers
        }
        return ws;
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
    void sendFrame(int opcode, byte[] payload) throws IOException {
        byte[] mask = {1, 2, 3, 4};
        out.write(0x80 | opcode);
        out.write(0x80 | payload.length); // payloads under 126 bytes only
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }

    /** Reads frames until a close frame and returns its status code. */
    int readCloseCode() throws IOException {
        return readUntilClose(payload -> { });
    }

    /**
     * Reads frames until a close frame, handing every other frame's payload to {@code frames},
     * and returns the close frame's status code.
     */
    int readUntilClose(java.util.function.Consumer<byte[]> frames) throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int length = in.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = (int) in.readLong();
            }
            byte[] payload = in.readNBytes(length);
            if ((first & 0x0f) == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
            }
            frames.accept(payload);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
