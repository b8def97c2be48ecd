package dev.universerelay.transport;

/**
 * The header of an unmasked, final WebSocket frame (RFC 6455 5.2), as a server writes it: what the
 * outbox puts in front of a batch of events when it writes frames itself ({@link Outbox}), byte for
 * byte what Netty's encoder would write (OutboxTest compares the two).
 */
final class FrameHeader {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    private static final int FIN = 0x80;

    private FrameHeader() {
    }

    /** Bytes of the header of a frame of {@code payloadLength} bytes: 2, 4 or 10. */
    static int length(int payloadLength) {
        return payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    /** Writes the header at the start of {@code out}; returns its length. */
    static int write(byte[] out, int opcode, int payloadLength) {
        out[0] = (byte) (FIN | opcode);
        if (payloadLength <= 125) {
            out[1] = (byte) payloadLength;
            return 2;
        }
        if (payloadLength <= 0xFFFF) {
            out[1] = 126;
            out[2] = (byte) (payloadLength >>> 8);
            out[3] = (byte) payloadLength;
            return 4;
        }
        out[1] = 127;
        for (int i = 0; i < 8; i++) {
            out[2 + i] = (byte) ((long) payloadLength >>> (56 - 8 * i));
        }
        return 10;
    }
}
