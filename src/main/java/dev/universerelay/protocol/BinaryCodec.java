package dev.universerelay.protocol;

import static dev.universerelay.protocol.ProtocolConstants.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code relay.v1.bin} wire: little-endian, fixed-size messages back to back in a frame.
 * Client frames are decoded all or nothing: a frame that does not split exactly into known
 * messages is one {@code bad_message}, so a truncated batch never half-applies.
 */
public final class BinaryCodec {

    private BinaryCodec() {
    }

    /** Decodes a client frame; the buffer's position is not moved. */
    public static DecodedFrame decodeClientFrame(ByteBuffer frame) {
        ByteBuffer in = frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (!in.hasRemaining()) {
            return DecodedFrame.undecodable("empty frame");
        }
        List<InboundItem> items = new ArrayList<>(in.remaining() / MOVE_SIZE + 1);
        while (in.hasRemaining()) {
            int start = in.position();
            byte type = in.get(start);
            ClientMessage.Kind kind = CLIENT_KINDS[type & 0xFF];
            if (kind == null) {
                return DecodedFrame.undecodable(String.format("unknown message type 0x%02x at byte %d", type & 0xFF, start));
            }
            int size = clientMessageSize(type);
            if (in.remaining() < size) {
                return DecodedFrame.undecodable("message of type 0x%02x at byte %d needs %d bytes, %d left"
                        .formatted(type & 0xFF, start, size, in.remaining()));
            }
            in.position(start + 1);
            items.add(switch (kind) {
                case SPAWN -> new ClientMessage.Spawn(u32(in), u16(in), in.getFloat(), in.getFloat(), in.getFloat(), in.getFloat());
                case MOVE -> new ClientMessage.Move(u32(in), in.getFloat(), in.getFloat(), in.getFloat(), in.getFloat(),
                        type == MOVE_WITH_SEQ ? u32(in) : NO_SEQ);
                case DESTROY -> new ClientMessage.Destroy(u32(in));
                case PING -> pingOrMalformed(in.getDouble());
                case VIEW -> new ClientMessage.View(in.getFloat(), in.getFloat(), in.getFloat());
            });
        }
        return DecodedFrame.of(items);
    }

    /** The binary type code of each client message: a new {@link ClientMessage.Kind} must get one here. */
    static byte code(ClientMessage.Kind kind) {
        return switch (kind) {
            case SPAWN -> SPAWN;
            case MOVE -> MOVE;
            case DESTROY -> DESTROY;
            case PING -> PING;
            case VIEW -> VIEW;
        };
    }

    /**
     * The binary type code of each delta event: a new {@link ServerMessage.Kind} must be placed here,
     * as an event with its code or as a control message, which only travels as JSON.
     */
    static byte code(ServerMessage.Kind kind) {
        return switch (kind) {
            case APPEARED -> APPEARED;
            case VELOCITY -> VELOCITY;
            case DESTROYED -> DESTROYED;
            case HIDDEN -> HIDDEN;
            case ACK -> ACK;
            case WELCOME, JOINED, LEFT, PONG, ERROR -> throw new IllegalArgumentException(kind + " is sent as JSON only");
        };
    }

    /** Client kinds by binary type code (unsigned), null where the protocol has none. */
    private static final ClientMessage.Kind[] CLIENT_KINDS = new ClientMessage.Kind[256];
    /** Delta event kinds by binary type code (unsigned), null where the protocol has none. */
    private static final ServerMessage.Kind[] EVENT_KINDS = new ServerMessage.Kind[256];

    static {
        for (ClientMessage.Kind kind : ClientMessage.Kind.values()) {
            CLIENT_KINDS[code(kind) & 0xFF] = kind;
        }
        CLIENT_KINDS[MOVE_WITH_SEQ & 0xFF] = ClientMessage.Kind.MOVE; // a move with a seq: its second code
        for (ServerMessage.Kind kind : ServerMessage.Kind.values()) {
            if (kind.isDeltaEvent()) {
                EVENT_KINDS[code(kind) & 0xFF] = kind;
            }
        }
    }

    private static InboundItem pingOrMalformed(double clientTime) {
        return Double.isFinite(clientTime) ? new ClientMessage.Ping(clientTime) : new InboundItem.Malformed("ping c is not finite");
    }

    /** Encodes a delta event; the array is shared by every binary recipient and never changed. */
    public static byte[] encode(ServerMessage.DeltaEvent event) {
        // a switch expression, so that a new kind of message must be placed here (see ServerMessage.Kind)
        ByteBuffer out = switch (event.messageKind()) {
            case APPEARED -> appeared((ServerMessage.Appeared) event);
            case VELOCITY -> velocity((ServerMessage.Velocity) event);
            case DESTROYED -> {
                ServerMessage.Destroyed d = (ServerMessage.Destroyed) event;
                yield putU32(putU32(allocate(DESTROYED_SIZE).put(DESTROYED), d.id()), s32(d.serverTime()));
            }
            case HIDDEN -> putU32(allocate(HIDDEN_SIZE).put(HIDDEN), event.id());
            case ACK -> {
                ServerMessage.Ack k = (ServerMessage.Ack) event;
                yield putU32(putU32(putU32(allocate(ACK_SIZE).put(ACK), k.id()), k.seq()), s32(k.serverTime()));
            }
            case WELCOME, JOINED, LEFT, PONG, ERROR -> throw new IllegalArgumentException(event.messageKind() + " is not a delta event");
        };
        return out.array();
    }

    private static ByteBuffer appeared(ServerMessage.Appeared a) {
        ByteBuffer out = putU32(putU32(allocate(APPEARED_SIZE).put(APPEARED), a.id()), a.owner());
        out.putShort((short) a.kind());
        out.putFloat(a.x()).putFloat(a.y()).putFloat(a.vx()).putFloat(a.vy());
        return putU32(putU32(out, s32(a.serverTime())), a.ref());
    }

    private static ByteBuffer velocity(ServerMessage.Velocity v) {
        ByteBuffer out = putU32(allocate(VELOCITY_SIZE).put(VELOCITY), v.id());
        out.putFloat(v.x()).putFloat(v.y()).putFloat(v.vx()).putFloat(v.vy());
        return putU32(out, s32(v.serverTime()));
    }

    /** Encodes a client message (for clients and tests written in Java). */
    public static byte[] encode(ClientMessage message) {
        boolean withSeq = message instanceof ClientMessage.Move move && move.wantsAck();
        byte code = withSeq ? MOVE_WITH_SEQ : code(message.messageKind());
        ByteBuffer out = allocate(clientMessageSize(code)).put(code);
        return (switch (message.messageKind()) {
            case SPAWN -> {
                ClientMessage.Spawn s = (ClientMessage.Spawn) message;
                yield putU32(out, s.ref()).putShort((short) s.kind())
                        .putFloat(s.x()).putFloat(s.y()).putFloat(s.vx()).putFloat(s.vy());
            }
            case MOVE -> {
                ClientMessage.Move m = (ClientMessage.Move) message;
                putU32(out, m.id()).putFloat(m.x()).putFloat(m.y()).putFloat(m.vx()).putFloat(m.vy());
                yield withSeq ? putU32(out, m.seq()) : out;
            }
            case DESTROY -> putU32(out, ((ClientMessage.Destroy) message).id());
            case PING -> out.putDouble(((ClientMessage.Ping) message).clientTime());
            case VIEW -> {
                ClientMessage.View v = (ClientMessage.View) message;
                yield out.putFloat(v.x()).putFloat(v.y()).putFloat(v.r());
            }
        }).array();
    }

    /**
     * Decodes a server frame (for clients and tests written in Java). Server times come back as
     * the 32-bit {@code s32} values of the wire.
     *
     * @throws IllegalArgumentException when the frame does not split into known events
     */
    public static List<ServerMessage.DeltaEvent> decodeServerFrame(ByteBuffer frame) {
        ByteBuffer in = frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<ServerMessage.DeltaEvent> events = new ArrayList<>();
        while (in.hasRemaining()) {
            byte type = in.get();
            ServerMessage.Kind kind = EVENT_KINDS[type & 0xFF];
            if (kind == null || in.remaining() < serverEventSize(type) - 1) {
                throw new IllegalArgumentException("bad server frame at byte " + (in.position() - 1));
            }
            events.add(switch (kind) {
                case APPEARED -> new ServerMessage.Appeared(u32(in), u32(in), u16(in), in.getFloat(), in.getFloat(),
                        in.getFloat(), in.getFloat(), u32(in), u32(in));
                case VELOCITY -> new ServerMessage.Velocity(u32(in), in.getFloat(), in.getFloat(), in.getFloat(),
                        in.getFloat(), u32(in));
                case DESTROYED -> new ServerMessage.Destroyed(u32(in), u32(in));
                case HIDDEN -> new ServerMessage.Hidden(u32(in));
                case ACK -> new ServerMessage.Ack(u32(in), u32(in), u32(in));
                case WELCOME, JOINED, LEFT, PONG, ERROR -> throw new IllegalStateException("not an event: " + kind);
            });
        }
        return events;
    }

    private static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long u32(ByteBuffer in) {
        return in.getInt() & U32_MAX;
    }

    private static int u16(ByteBuffer in) {
        return in.getShort() & U16_MAX;
    }

    private static ByteBuffer putU32(ByteBuffer out, long value) {
        return out.putInt((int) value);
    }
}
