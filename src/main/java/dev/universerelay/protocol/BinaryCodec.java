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
            int size = clientMessageSize(type);
            if (size < 0) {
                return DecodedFrame.undecodable(String.format("unknown message type 0x%02x at byte %d", type & 0xFF, start));
            }
            if (in.remaining() < size) {
                return DecodedFrame.undecodable("message of type 0x%02x at byte %d needs %d bytes, %d left"
                        .formatted(type & 0xFF, start, size, in.remaining()));
            }
            in.position(start + 1);
            items.add(switch (type) {
                case SPAWN -> new ClientMessage.Spawn(u32(in), u16(in), in.getFloat(), in.getFloat(), in.getFloat(), in.getFloat());
                case MOVE -> new ClientMessage.Move(u32(in), in.getFloat(), in.getFloat(), in.getFloat(), in.getFloat());
                case DESTROY -> new ClientMessage.Destroy(u32(in));
                case PING -> pingOrMalformed(in.getDouble());
                case VIEW -> new ClientMessage.View(in.getFloat(), in.getFloat(), in.getFloat());
                case MOVE_WITH_SEQ -> new ClientMessage.Move(u32(in), in.getFloat(), in.getFloat(), in.getFloat(),
                        in.getFloat(), u32(in));
                default -> throw new IllegalStateException("size table and decoder disagree");
            });
        }
        return DecodedFrame.of(items);
    }

    private static InboundItem pingOrMalformed(double clientTime) {
        return Double.isFinite(clientTime) ? new ClientMessage.Ping(clientTime) : new InboundItem.Malformed("ping c is not finite");
    }

    /** Encodes a delta event; the array is shared by every binary recipient and never changed. */
    public static byte[] encode(ServerMessage.DeltaEvent event) {
        ByteBuffer out;
        if (event instanceof ServerMessage.Appeared a) {
            out = allocate(APPEARED_SIZE).put(APPEARED);
            putU32(out, a.id());
            putU32(out, a.owner());
            out.putShort((short) a.kind());
            out.putFloat(a.x()).putFloat(a.y()).putFloat(a.vx()).putFloat(a.vy());
            putU32(out, s32(a.serverTime()));
            putU32(out, a.ref());
        } else if (event instanceof ServerMessage.Velocity v) {
            out = allocate(VELOCITY_SIZE).put(VELOCITY);
            putU32(out, v.id());
            out.putFloat(v.x()).putFloat(v.y()).putFloat(v.vx()).putFloat(v.vy());
            putU32(out, s32(v.serverTime()));
        } else if (event instanceof ServerMessage.Destroyed d) {
            out = allocate(DESTROYED_SIZE).put(DESTROYED);
            putU32(out, d.id());
            putU32(out, s32(d.serverTime()));
        } else if (event instanceof ServerMessage.Ack k) {
            out = allocate(ACK_SIZE).put(ACK);
            putU32(out, k.id());
            putU32(out, k.seq());
            putU32(out, s32(k.serverTime()));
        } else {
            out = allocate(HIDDEN_SIZE).put(HIDDEN);
            putU32(out, ((ServerMessage.Hidden) event).id());
        }
        return out.array();
    }

    /** Encodes a client message (for clients and tests written in Java). */
    public static byte[] encode(ClientMessage message) {
        ByteBuffer out;
        if (message instanceof ClientMessage.Spawn s) {
            out = allocate(SPAWN_SIZE).put(SPAWN);
            putU32(out, s.ref());
            out.putShort((short) s.kind());
            out.putFloat(s.x()).putFloat(s.y()).putFloat(s.vx()).putFloat(s.vy());
        } else if (message instanceof ClientMessage.Move m) {
            out = allocate(m.wantsAck() ? MOVE_WITH_SEQ_SIZE : MOVE_SIZE).put(m.wantsAck() ? MOVE_WITH_SEQ : MOVE);
            putU32(out, m.id());
            out.putFloat(m.x()).putFloat(m.y()).putFloat(m.vx()).putFloat(m.vy());
            if (m.wantsAck()) {
                putU32(out, m.seq());
            }
        } else if (message instanceof ClientMessage.Destroy d) {
            out = allocate(DESTROY_SIZE).put(DESTROY);
            putU32(out, d.id());
        } else if (message instanceof ClientMessage.View v) {
            out = allocate(VIEW_SIZE).put(VIEW).putFloat(v.x()).putFloat(v.y()).putFloat(v.r());
        } else {
            out = allocate(PING_SIZE).put(PING).putDouble(((ClientMessage.Ping) message).clientTime());
        }
        return out.array();
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
            int size = serverEventSize(type);
            if (size < 0 || in.remaining() < size - 1) {
                throw new IllegalArgumentException("bad server frame at byte " + (in.position() - 1));
            }
            events.add(switch (type) {
                case APPEARED -> new ServerMessage.Appeared(u32(in), u32(in), u16(in), in.getFloat(), in.getFloat(),
                        in.getFloat(), in.getFloat(), u32(in), u32(in));
                case VELOCITY -> new ServerMessage.Velocity(u32(in), in.getFloat(), in.getFloat(), in.getFloat(),
                        in.getFloat(), u32(in));
                case DESTROYED -> new ServerMessage.Destroyed(u32(in), u32(in));
                case HIDDEN -> new ServerMessage.Hidden(u32(in));
                case ACK -> new ServerMessage.Ack(u32(in), u32(in), u32(in));
                default -> throw new IllegalStateException("size table and decoder disagree");
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

    private static void putU32(ByteBuffer out, long value) {
        out.putInt((int) value);
    }
}
