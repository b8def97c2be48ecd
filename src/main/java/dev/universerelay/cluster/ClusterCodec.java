package dev.universerelay.cluster;

import dev.universerelay.universe.ReplicatedChange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes nodes exchange through Redis: one type byte, the origin node (u8 length, UTF-8), then
 * the fields, big-endian. Numbers are u32, times f64 milliseconds. The Lua scripts in
 * {@link RedisScripts} write the same layout with {@code struct.pack}, so the two must change
 * together. Origin "" marks a change made by a script on behalf of a lost node.
 *
 * <p>Every switch over {@link ReplicatedChange.Type} here is a switch expression without a
 * {@code default}, so that a new type of change does not compile until it has a type byte, a size,
 * an encoding and a decoding (why an enum and not a switch over the sealed type: see
 * {@link ReplicatedChange.Type}).
 */
final class ClusterCodec {
    static final byte MEMBER_JOINED = 1;
    static final byte MEMBER_MOVED = 2;
    static final byte MEMBER_ORPHANED = 3;
    static final byte MEMBER_LEFT = 4;
    static final byte ENTITY_SET = 5;
    static final byte ENTITY_REMOVED = 6;
    static final byte MEMBER_VIEW = 7;
    /** Several changes of one node in one message: then, per change, u16 length and its encoding with origin "". */
    static final byte BATCH = 8;

    private ClusterCodec() {
    }

    /** A decoded message: who made the change, and the change. */
    record Envelope(String origin, ReplicatedChange change) {
    }

    /** Whether a message was made by the node whose id is {@code origin}: read without decoding the rest. */
    static boolean isFrom(byte[] message, byte[] origin) {
        return message.length >= 2 + origin.length && Byte.toUnsignedInt(message[1]) == origin.length
                && Arrays.equals(message, 2, 2 + origin.length, origin, 0, origin.length);
    }

    /** One message holding several changes ({@code encoded}: each from {@code encode("", change)}), in order. */
    static byte[] encodeBatch(String origin, List<byte[]> encoded) {
        byte[] originBytes = origin.getBytes(StandardCharsets.UTF_8);
        int size = 2 + originBytes.length;
        for (byte[] e : encoded) {
            size += 2 + e.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(BATCH).put((byte) originBytes.length).put(originBytes);
        for (byte[] e : encoded) {
            out.putShort((short) e.length).put(e);
        }
        return out.array();
    }

    /** The changes of a message, single or batch, in order, with their origin. */
    static List<ReplicatedChange> decodeAll(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != BATCH) {
            return List.of(decode(bytes).change());
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            in.position(2 + Byte.toUnsignedInt(bytes[1]));
            List<ReplicatedChange> changes = new ArrayList<>();
            while (in.hasRemaining()) {
                byte[] one = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(one);
                changes.add(decode(one).change());
            }
            return changes;
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster batch of " + bytes.length + " bytes is malformed: " + e.getMessage());
        }
    }

    static byte[] encode(String origin, ReplicatedChange change) {
        byte[] originBytes = origin.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(2 + originBytes.length + bodySize(change));
        out.put(code(change.type())).put((byte) originBytes.length).put(originBytes);
        putBody(out, change);
        return out.array();
    }

    /** Writes a change's fields; each case casts to the record whose type() it is (see ReplicatedChange.Type). */
    private static ByteBuffer putBody(ByteBuffer out, ReplicatedChange change) {
        return switch (change.type()) {
            case ENTITY_SET -> {
                ReplicatedChange.EntitySet e = (ReplicatedChange.EntitySet) change;
                yield out.put((byte) (e.spawned() ? 1 : 0)).putInt((int) e.id()).putInt((int) e.owner())
                        .putShort((short) e.kind()).putFloat(e.x()).putFloat(e.y()).putFloat(e.vx()).putFloat(e.vy())
                        .putDouble(e.time()).putInt((int) e.ref());
            }
            case ENTITY_REMOVED -> {
                ReplicatedChange.EntityRemoved r = (ReplicatedChange.EntityRemoved) change;
                yield out.putInt((int) r.id()).putDouble(r.time());
            }
            case MEMBER_JOINED -> {
                ReplicatedChange.MemberJoined j = (ReplicatedChange.MemberJoined) change;
                yield putString(putString(out.putInt((int) j.number()), j.subject()), j.name());
            }
            case MEMBER_MOVED -> {
                ReplicatedChange.MemberMoved m = (ReplicatedChange.MemberMoved) change;
                byte[] node = m.node().getBytes(StandardCharsets.UTF_8);
                yield out.putInt((int) m.number()).put((byte) node.length).put(node);
            }
            case MEMBER_ORPHANED -> {
                ReplicatedChange.MemberOrphaned o = (ReplicatedChange.MemberOrphaned) change;
                yield out.putInt((int) o.number()).putDouble(o.graceDeadline());
            }
            case MEMBER_LEFT -> out.putInt((int) ((ReplicatedChange.MemberLeft) change).number());
            case MEMBER_VIEW -> {
                ReplicatedChange.MemberView v = (ReplicatedChange.MemberView) change;
                yield out.putInt((int) v.number()).putFloat(v.x()).putFloat(v.y()).putFloat(v.r());
            }
        };
    }

    /** Decodes a message; anything that is not exactly one well-formed message is an IllegalArgumentException. */
    static Envelope decode(byte[] bytes) {
        try {
            return decodeStrictly(bytes);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("cluster message of " + bytes.length + " bytes is truncated");
        }
    }

    private static Envelope decodeStrictly(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte code = in.get();
        ReplicatedChange.Type type = typeOf(code);
        String origin = readString(in, Byte.toUnsignedInt(in.get()));
        ReplicatedChange change = switch (type) {
            case ENTITY_SET -> new ReplicatedChange.EntitySet(in.get() == 1, u32(in), u32(in),
                    Short.toUnsignedInt(in.getShort()), in.getFloat(), in.getFloat(), in.getFloat(), in.getFloat(),
                    (long) in.getDouble(), u32(in));
            case ENTITY_REMOVED -> new ReplicatedChange.EntityRemoved(u32(in), (long) in.getDouble());
            case MEMBER_JOINED -> new ReplicatedChange.MemberJoined(u32(in),
                    readString(in, Short.toUnsignedInt(in.getShort())), readString(in, Short.toUnsignedInt(in.getShort())));
            case MEMBER_MOVED -> new ReplicatedChange.MemberMoved(u32(in), readString(in, Byte.toUnsignedInt(in.get())));
            case MEMBER_ORPHANED -> new ReplicatedChange.MemberOrphaned(u32(in), (long) in.getDouble());
            case MEMBER_LEFT -> new ReplicatedChange.MemberLeft(u32(in));
            case MEMBER_VIEW -> new ReplicatedChange.MemberView(u32(in), in.getFloat(), in.getFloat(), in.getFloat());
        };
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("cluster message type " + code + " has " + in.remaining() + " extra bytes");
        }
        return new Envelope(origin, change);
    }

    /** The type byte of each change, as the Lua scripts write it: a new type of change must get one here. */
    static byte code(ReplicatedChange.Type type) {
        return switch (type) {
            case MEMBER_JOINED -> MEMBER_JOINED;
            case MEMBER_MOVED -> MEMBER_MOVED;
            case MEMBER_ORPHANED -> MEMBER_ORPHANED;
            case MEMBER_LEFT -> MEMBER_LEFT;
            case ENTITY_SET -> ENTITY_SET;
            case ENTITY_REMOVED -> ENTITY_REMOVED;
            case MEMBER_VIEW -> MEMBER_VIEW;
        };
    }

    private static ReplicatedChange.Type typeOf(byte code) {
        for (ReplicatedChange.Type type : ReplicatedChange.Type.values()) {
            if (code(type) == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown cluster message type " + code);
    }

    private static int bodySize(ReplicatedChange change) {
        return switch (change.type()) {
            case ENTITY_SET -> 1 + 4 + 4 + 2 + 16 + 8 + 4;
            case ENTITY_REMOVED, MEMBER_ORPHANED -> 4 + 8;
            case MEMBER_JOINED -> {
                ReplicatedChange.MemberJoined j = (ReplicatedChange.MemberJoined) change;
                yield 4 + 2 + utf8Length(j.subject()) + 2 + utf8Length(j.name());
            }
            case MEMBER_MOVED -> 4 + 1 + utf8Length(((ReplicatedChange.MemberMoved) change).node());
            case MEMBER_LEFT -> 4;
            case MEMBER_VIEW -> 4 + 12;
        };
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static ByteBuffer putString(ByteBuffer out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return out.putShort((short) bytes.length).put(bytes);
    }

    private static String readString(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long u32(ByteBuffer in) {
        return Integer.toUnsignedLong(in.getInt());
    }
}
