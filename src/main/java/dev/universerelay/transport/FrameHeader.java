package dev.universerelay.transport;

import io.netty.buffer.ByteBuf;

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

    static void write(ByteBuf out, int opcode, int payloadLength) {
        out.writeByte(FIN | opcode);
        if (payloadLength <= 125) {
            out.writeByte(payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            out.writeByte(126);
            out.writeShort(payloadLength);
        } else {
            out.writeByte(127);
            out.writeLong(payloadLength);
        }
    }
}
