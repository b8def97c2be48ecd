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
        out.put(type(change)).put((byte) originBytes.length).put(originBytes);
        if (change instanceof ReplicatedChange.EntitySet e) {
            out.put((byte) (e.spawned() ? 1 : 0)).putInt((int) e.id()).putInt((int) e.owner()).putShort((short) e.kind())
                    .putFloat(e.x()).putFloat(e.y()).putFloat(e.vx()).putFloat(e.vy()).putDouble(e.time())
                    .putInt((int) e.ref());
        } else if (change instanceof ReplicatedChange.EntityRemoved r) {
            out.putInt((int) r.id()).putDouble(r.time());
        } else if (change instanceof ReplicatedChange.MemberJoined j) {
            out.putInt((int) j.number());
            putString(out, j.subject());
            putString(out, j.name());
        } else if (change instanceof ReplicatedChange.MemberMoved m) {
            out.putInt((int) m.number());
            byte[] node = m.node().getBytes(StandardCharsets.UTF_8);
            out.put((byte) node.length).put(node);
        } else if (change instanceof ReplicatedChange.MemberOrphaned o) {
            out.putInt((int) o.number()).putDouble(o.graceDeadline());
        } else if (change instanceof ReplicatedChange.MemberLeft l) {
            out.putInt((int) l.number());
        } else if (change instanceof ReplicatedChange.MemberView v) {
            out.putInt((int) v.number()).putFloat(v.x()).putFloat(v.y()).putFloat(v.r());
        }
        return out.array();
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
        byte type = in.get();
        String origin = readString(in, Byte.toUnsignedInt(in.get()));
        ReplicatedChange change;
        switch (type) {
            case ENTITY_SET -> change = new ReplicatedChange.EntitySet(in.get() == 1, u32(in), u32(in),
                    Short.toUnsignedInt(in.getShort()), in.getFloat(), in.getFloat(), in.getFloat(), in.getFloat(),
                    (long) in.getDouble(), u32(in));
            case ENTITY_REMOVED -> change = new ReplicatedChange.EntityRemoved(u32(in), (long) in.getDouble());
            case MEMBER_JOINED -> change = new ReplicatedChange.MemberJoined(u32(in),
                    readString(in, Short.toUnsignedInt(in.getShort())), readString(in, Short.toUnsignedInt(in.getShort())));
            case MEMBER_MOVED -> change = new ReplicatedChange.MemberMoved(u32(in), readString(in, Byte.toUnsignedInt(in.get())));
            case MEMBER_ORPHANED -> change = new ReplicatedChange.MemberOrphaned(u32(in), (long) in.getDouble());
            case MEMBER_LEFT -> change = new ReplicatedChange.MemberLeft(u32(in));
            case MEMBER_VIEW -> change = new ReplicatedChange.MemberView(u32(in), in.getFloat(), in.getFloat(), in.getFloat());
            default -> throw new IllegalArgumentException("unknown cluster message type " + type);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("cluster message type " + type + " has " + in.remaining() + " extra bytes");
        }
        return new Envelope(origin, change);
    }

    private static byte type(ReplicatedChange change) {
        if (change instanceof ReplicatedChange.EntitySet) {
            return ENTITY_SET;
        } else if (change instanceof ReplicatedChange.EntityRemoved) {
            return ENTITY_REMOVED;
        } else if (change instanceof ReplicatedChange.MemberJoined) {
            return MEMBER_JOINED;
        } else if (change instanceof ReplicatedChange.MemberMoved) {
            return MEMBER_MOVED;
        } else if (change instanceof ReplicatedChange.MemberOrphaned) {
            return MEMBER_ORPHANED;
        } else if (change instanceof ReplicatedChange.MemberView) {
            return MEMBER_VIEW;
        }
        return MEMBER_LEFT;
    }

    private static int bodySize(ReplicatedChange change) {
        if (change instanceof ReplicatedChange.EntitySet) {
            return 1 + 4 + 4 + 2 + 16 + 8 + 4;
        } else if (change instanceof ReplicatedChange.EntityRemoved) {
            return 4 + 8;
        } else if (change instanceof ReplicatedChange.MemberJoined j) {
            return 4 + 2 + utf8Length(j.subject()) + 2 + utf8Length(j.name());
        } else if (change instanceof ReplicatedChange.MemberMoved m) {
            return 4 + 1 + utf8Length(m.node());
        } else if (change instanceof ReplicatedChange.MemberOrphaned) {
            return 4 + 8;
        } else if (change instanceof ReplicatedChange.MemberView) {
            return 4 + 12;
        }
        return 4;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void putString(ByteBuffer out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) bytes.length).put(bytes);
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
