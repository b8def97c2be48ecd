package dev.universerelay.recording;

import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.PlayerInfo;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The byte layout of a recording file, in one place (docs/recordings.md, "File format"). A file
 * starts with {@link #MAGIC}; then frames follow, each {@code u32 length, u32 crc32(body), body}
 * with {@code body = u8 type, i64 server time, payload}, all big-endian. The length and checksum
 * let a reader stop cleanly at the last complete record of a file cut short by a crash, and
 * refuse a damaged one instead of replaying garbage. Server times are kept whole (not as the
 * wire's 32-bit {@code s32}) so that a recording is independent of when it is played.
 */
public final class RecordFormat {
    /** "URREC" and the format version, 8 bytes. */
    static final byte[] MAGIC = {'U', 'R', 'R', 'E', 'C', 0, 0, 1};
    static final int VERSION = 1;
    /** Bytes before a frame's body: length and checksum. */
    static final int FRAME_HEADER = 8;
    /** Largest body a reader accepts; a keyframe of 100,000 entities is about 4.5 MB. */
    static final int MAX_BODY = 64 * 1024 * 1024;

    static final byte HEADER = 0;
    static final byte APPEARED = 1;
    static final byte VELOCITY = 2;
    static final byte DESTROYED = 3;
    static final byte JOINED = 4;
    static final byte LEFT = 5;
    static final byte KEYFRAME = 6;
    static final byte END = 7;

    private RecordFormat() {
    }

    /** A whole frame (length, checksum, body) for one record. */
    static byte[] frame(Recorded record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(0);
            writeBody(out, record);
            out.flush();
            byte[] frame = bytes.toByteArray();
            int length = frame.length - FRAME_HEADER;
            CRC32 crc = new CRC32();
            crc.update(frame, FRAME_HEADER, length);
            ByteBuffer.wrap(frame).putInt(length).putInt((int) crc.getValue());
            return frame;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    private static void writeBody(DataOutputStream out, Recorded record) throws IOException {
        if (record instanceof Recorded.Header h) {
            out.writeByte(HEADER);
            out.writeLong(h.time());
            out.writeShort(h.version());
            out.writeUTF(h.universe());
            out.writeUTF(h.node());
        } else if (record instanceof Recorded.Keyframe k) {
            out.writeByte(KEYFRAME);
            out.writeLong(k.time());
            out.writeInt(k.players().size());
            for (PlayerInfo p : k.players()) {
                out.writeInt((int) p.player());
                out.writeUTF(p.name());
            }
            out.writeInt(k.entities().size());
            for (Appeared a : k.entities()) {
                writeAppeared(out, a);
            }
        } else if (record instanceof Recorded.End e) {
            out.writeByte(END);
            out.writeLong(e.time());
            out.writeUTF(e.reason());
        } else {
            Recorded.Event event = (Recorded.Event) record;
            ServerMessage m = event.message();
            if (m instanceof Appeared a) {
                out.writeByte(APPEARED);
                out.writeLong(event.time());
                writeAppeared(out, a);
            } else if (m instanceof ServerMessage.Velocity v) {
                out.writeByte(VELOCITY);
                out.writeLong(event.time());
                out.writeInt((int) v.id());
                writeState(out, v.x(), v.y(), v.vx(), v.vy());
                out.writeLong(v.serverTime());
            } else if (m instanceof ServerMessage.Destroyed d) {
                out.writeByte(DESTROYED);
                out.writeLong(event.time());
                out.writeInt((int) d.id());
                out.writeLong(d.serverTime());
            } else if (m instanceof ServerMessage.Joined j) {
                out.writeByte(JOINED);
                out.writeLong(event.time());
                out.writeInt((int) j.player());
                out.writeUTF(j.name());
            } else if (m instanceof ServerMessage.Left l) {
                out.writeByte(LEFT);
                out.writeLong(event.time());
                out.writeInt((int) l.player());
            } else {
                throw new IllegalArgumentException("not a recorded message: " + m.type());
            }
        }
    }

    private static void writeAppeared(DataOutputStream out, Appeared a) throws IOException {
        out.writeInt((int) a.id());
        out.writeInt((int) a.owner());
        out.writeShort(a.kind());
        writeState(out, a.x(), a.y(), a.vx(), a.vy());
        out.writeLong(a.serverTime());
        out.writeInt((int) a.ref());
    }

    private static void writeState(DataOutputStream out, float x, float y, float vx, float vy) throws IOException {
        out.writeFloat(x);
        out.writeFloat(y);
        out.writeFloat(vx);
        out.writeFloat(vy);
    }

    /**
     * Decodes one body whose checksum matched.
     *
     * @throws IllegalArgumentException when the body does not hold a known record (a file from a
     *                                  newer version, or damage the checksum did not catch)
     */
    static Recorded decode(ByteBuffer body) {
        try {
            byte type = body.get();
            long time = body.getLong();
            Recorded record = switch (type) {
                case HEADER -> new Recorded.Header(body.getShort() & 0xFFFF, utf(body), time, utf(body));
                case KEYFRAME -> keyframe(body, time);
                case END -> new Recorded.End(time, utf(body));
                case APPEARED -> new Recorded.Event(time, appeared(body));
                case VELOCITY -> new Recorded.Event(time, new ServerMessage.Velocity(u32(body), body.getFloat(),
                        body.getFloat(), body.getFloat(), body.getFloat(), body.getLong()));
                case DESTROYED -> new Recorded.Event(time, new ServerMessage.Destroyed(u32(body), body.getLong()));
                case JOINED -> new Recorded.Event(time, new ServerMessage.Joined(u32(body), utf(body)));
                case LEFT -> new Recorded.Event(time, new ServerMessage.Left(u32(body)));
                default -> throw new IllegalArgumentException("unknown record type " + type);
            };
            if (body.hasRemaining()) {
                throw new IllegalArgumentException(body.remaining() + " bytes after a record of type " + type);
            }
            return record;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("record shorter than its type needs");
        }
    }

    private static Recorded.Keyframe keyframe(ByteBuffer body, long time) {
        int players = count(body, 6);
        List<PlayerInfo> ps = new ArrayList<>(players);
        for (int i = 0; i < players; i++) {
            ps.add(new PlayerInfo(u32(body), utf(body)));
        }
        int entities = count(body, 38);
        List<Appeared> es = new ArrayList<>(entities);
        for (int i = 0; i < entities; i++) {
            es.add(appeared(body));
        }
        return new Recorded.Keyframe(time, ps, es);
    }

    /** A count that the rest of the body can hold at {@code minSize} bytes an item, so a bad count cannot allocate much. */
    private static int count(ByteBuffer body, int minSize) {
        int n = body.getInt();
        if (n < 0 || (long) n * minSize > body.remaining()) {
            throw new IllegalArgumentException("count " + n + " does not fit the record");
        }
        return n;
    }

    private static Appeared appeared(ByteBuffer body) {
        return new Appeared(u32(body), u32(body), body.getShort() & 0xFFFF, body.getFloat(), body.getFloat(),
                body.getFloat(), body.getFloat(), body.getLong(), u32(body));
    }

    private static long u32(ByteBuffer body) {
        return body.getInt() & 0xFFFF_FFFFL;
    }

    private static String utf(ByteBuffer body) {
        int length = body.getShort() & 0xFFFF;
        if (length > body.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8); // modified UTF-8 equals UTF-8 for the names we store
    }
}
