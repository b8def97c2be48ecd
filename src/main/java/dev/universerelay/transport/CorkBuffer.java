package dev.universerelay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * One event loop's buffer for the frames its outboxes write: each frame is copied into it and handed
 * to its channel as a slice, so that a write costs neither a buffer from Netty's pool (its allocate
 * and release were about 7 % of the relay's CPU at 190,000 events/s, docs/performance.md) nor a
 * {@code ByteBuffer} view per copy (the buffer is plain native memory, copied into with
 * {@code Unsafe}). A slice holds a reference to the buffer until Netty has written it to the socket
 * and released it; once none is left at the end of a turn of the loop, the next frames are written
 * from the beginning again. While some slice still waits in a congested channel, frames go on being
 * appended after it, and a full buffer is let go (it lives on until its last slice is written) for a
 * fresh one: bytes a channel has not written yet are never overwritten. Confined to its loop.
 */
final class CorkBuffer {
    /** Room for a turn's frames; larger frames (long backlogs) take a buffer of their own. */
    static final int CAPACITY = 64 * 1024;
    private static final int LARGEST_FRAME = CAPACITY / 4;
    /** Unpooled native memory, without leak tracking: a loop's buffer lives as long as the loop. */
    private static final ByteBufAllocator NATIVE = new UnpooledByteBufAllocator(true, true);

    private ByteBuf buffer;

    /**
     * A slice holding {@code frame[from..from+length)}, for one channel to write and release; null when
     * the frame is too large for this buffer (the caller takes a buffer of its own).
     */
    ByteBuf slice(byte[] frame, int from, int length) {
        if (!makeRoom(length)) {
            return null;
        }
        int start = buffer.writerIndex();
        buffer.writeBytes(frame, from, length);
        return buffer.retainedSlice(start, length);
    }

    /**
     * Copies {@code frame[0..length)} after the bytes handed out, without handing it out, and returns
     * its native address, valid until the next call on this buffer; 0 when the frame is too large or
     * the memory has no address. For a {@link DirectSend}, which is done with the bytes on return.
     */
    long stage(byte[] frame, int length) {
        if (!makeRoom(length) || !buffer.hasMemoryAddress()) {
            return 0;
        }
        int start = buffer.writerIndex();
        buffer.setBytes(start, frame, 0, length);
        return buffer.memoryAddress() + start;
    }

    private boolean makeRoom(int length) {
        if (length > LARGEST_FRAME) {
            return false;
        }
        if (buffer == null || buffer.writableBytes() < length) {
            if (buffer != null) {
                buffer.release(); // freed once the channels have written (and released) their slices of it
            }
            buffer = NATIVE.directBuffer(CAPACITY, CAPACITY);
        }
        return true;
    }

    /** The loop's turn ended: if every slice has been written, the next frames start at the beginning. */
    void turnEnded() {
        if (buffer != null && buffer.refCnt() == 1) {
            buffer.clear();
        }
    }

    /** Slices handed out and not yet released (tests). */
    int slicesOutstanding() {
        return buffer == null ? 0 : buffer.refCnt() - 1;
    }
}
