package dev.universerelay.recording;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Reads a recording file record by record, from the start or from a record's offset. It never
 * throws for what a crash or damage left in a file: it stops at the last complete, intact record
 * and says why in {@link #stop()}, so a replay plays everything that was written and an operator
 * learns where a file is damaged. A file that is not a recording at all is refused when opened.
 */
public final class RecordingReader implements Closeable {

    /** Why reading stopped. */
    public enum Stop {
        /** Not stopped yet. */
        NONE,
        /** At an {@code End} record: the recording was stopped cleanly. */
        END,
        /** The file ends without an {@code End}, or in the middle of a record (a crash, or still being written). */
        TRUNCATED,
        /** A record's length or checksum is wrong, or it holds no known record. */
        CORRUPT
    }

    private final Path path;
    private final FileChannel channel;
    private DataInputStream in;
    private long offset;
    private Stop stop = Stop.NONE;
    private String stopDetail = "";

    private RecordingReader(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Opens a recording and checks its magic bytes.
     *
     * @throws IOException when the file cannot be read or is not a recording
     */
    public static RecordingReader open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        RecordingReader reader = new RecordingReader(path, channel);
        try {
            byte[] magic = new byte[RecordFormat.MAGIC.length];
            reader.seek(0);
            reader.in.readFully(magic);
            if (!Arrays.equals(magic, RecordFormat.MAGIC)) {
                throw new IOException(path.getFileName() + " is not a recording of this format");
            }
            reader.offset = magic.length;
            return reader;
        } catch (EOFException e) {
            channel.close();
            throw new IOException(path.getFileName() + " is too short to be a recording");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Offset of the first record, after the magic bytes. */
    public static long firstRecordOffset() {
        return RecordFormat.MAGIC.length;
    }

    /** Continues reading at the record that starts at {@code offset} (one {@link #offset()} returned before). */
    public void seek(long offset) throws IOException {
        channel.position(offset);
        InputStream raw = Channels.newInputStream(channel);
        in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024));
        this.offset = offset;
        stop = Stop.NONE;
        stopDetail = "";
    }

    /** Where the next record starts. */
    public long offset() {
        return offset;
    }

    /** The next record, or null once reading stopped ({@link #stop()} says why). */
    public Recorded next() throws IOException {
        if (stop != Stop.NONE) {
            return null;
        }
        byte[] frameHeader = new byte[RecordFormat.FRAME_HEADER];
        int got = in.readNBytes(frameHeader, 0, frameHeader.length);
        if (got == 0) {
            return stopped(Stop.TRUNCATED, "file ends at byte " + offset + " without an end record");
        } else if (got < frameHeader.length) {
            return stopped(Stop.TRUNCATED, "last record at byte " + offset + " is incomplete");
        }
        ByteBuffer header = ByteBuffer.wrap(frameHeader);
        int length = header.getInt();
        int crc = header.getInt();
        if (length < 9 || length > RecordFormat.MAX_BODY) {
            return stopped(Stop.CORRUPT, "record at byte " + offset + " claims " + length + " bytes");
        }
        byte[] body = new byte[length];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            return stopped(Stop.TRUNCATED, "last record at byte " + offset + " is incomplete");
        }
        CRC32 check = new CRC32();
        check.update(body);
        if ((int) check.getValue() != crc) {
            return stopped(Stop.CORRUPT, "record at byte " + offset + " fails its checksum");
        }
        Recorded record;
        try {
            record = RecordFormat.decode(ByteBuffer.wrap(body));
        } catch (IllegalArgumentException e) {
            return stopped(Stop.CORRUPT, "record at byte " + offset + ": " + e.getMessage());
        }
        offset += RecordFormat.FRAME_HEADER + length;
        if (record instanceof Recorded.End) {
            stop = Stop.END;
        }
        return record;
    }

    private Recorded stopped(Stop why, String detail) {
        stop = why;
        stopDetail = path.getFileName() + ": " + detail;
        return null;
    }

    public Stop stop() {
        return stop;
    }

    /** What stopped reading, for logs and the API ("" when nothing went wrong). */
    public String stopDetail() {
        return stopDetail;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
