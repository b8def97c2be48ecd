package dev.universerelay.protocol;

import java.util.regex.Pattern;

/**
 * Every number and name of protocol v1 that more than one class needs, in one place, so the
 * codecs, the handshake checks and the tests cannot drift apart.
 */
public final class ProtocolConstants {
    /** Protocol version announced in {@code welcome}. */
    public static final int VERSION = 1;

    public static final String SUBPROTOCOL_BINARY = "relay.v1.bin";
    public static final String SUBPROTOCOL_JSON = "relay.v1.json";

    /** Universe names the client may choose. */
    public static final Pattern UNIVERSE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Player names, of guest logins and of tokens alike: what every client can show safely. */
    public static final Pattern PLAYER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    // Binary type codes, client to server.
    public static final byte SPAWN = 0x11;
    public static final byte MOVE = 0x12;
    public static final byte DESTROY = 0x13;
    public static final byte PING = 0x14;
    /** Interest management extension (docs/protocol.md section 13). */
    public static final byte VIEW = 0x15;
    /** Input acknowledgement extension (docs/protocol.md section 14): a move with a {@code seq}. */
    public static final byte MOVE_WITH_SEQ = 0x16;

    // Binary type codes, server to client.
    public static final byte APPEARED = 0x01;
    public static final byte VELOCITY = 0x02;
    public static final byte DESTROYED = 0x03;
    /** Interest management extension (docs/protocol.md section 13). */
    public static final byte HIDDEN = 0x04;
    /** Input acknowledgement extension (docs/protocol.md section 14). */
    public static final byte ACK = 0x05;

    // Binary sizes including the type byte.
    public static final int SPAWN_SIZE = 23;
    public static final int MOVE_SIZE = 21;
    public static final int DESTROY_SIZE = 5;
    public static final int PING_SIZE = 9;
    public static final int VIEW_SIZE = 13;
    public static final int MOVE_WITH_SEQ_SIZE = 25;
    public static final int APPEARED_SIZE = 35;
    public static final int VELOCITY_SIZE = 25;
    public static final int DESTROYED_SIZE = 9;
    public static final int HIDDEN_SIZE = 5;
    public static final int ACK_SIZE = 13;

    /** A move's {@code seq} when it asks for no acknowledgement (docs/protocol.md section 14). */
    public static final long NO_SEQ = 0;

    /** Largest value of an unsigned 32-bit field (ids, refs, player numbers). */
    public static final long U32_MAX = 0xFFFF_FFFFL;
    /** Largest value of an unsigned 16-bit field ({@code k}). */
    public static final int U16_MAX = 0xFFFF;

    private ProtocolConstants() {
    }

    /** Server time in ms modulo 2^32, as carried by binary events. */
    public static long s32(long serverTimeMillis) {
        return serverTimeMillis & U32_MAX;
    }

    /** Size of a client message on the binary wire by its first byte, or -1 for an unknown type. */
    public static int clientMessageSize(byte type) {
        return switch (type) {
            case SPAWN -> SPAWN_SIZE;
            case MOVE -> MOVE_SIZE;
            case DESTROY -> DESTROY_SIZE;
            case PING -> PING_SIZE;
            case VIEW -> VIEW_SIZE;
            case MOVE_WITH_SEQ -> MOVE_WITH_SEQ_SIZE;
            default -> -1;
        };
    }

    /** Size of a server event on the binary wire by its first byte, or -1 for an unknown type. */
    public static int serverEventSize(byte type) {
        return switch (type) {
            case APPEARED -> APPEARED_SIZE;
            case VELOCITY -> VELOCITY_SIZE;
            case DESTROYED -> DESTROYED_SIZE;
            case HIDDEN -> HIDDEN_SIZE;
            case ACK -> ACK_SIZE;
            default -> -1;
        };
    }
}
