package dev.universerelay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A loop's frame buffer never overwrites bytes a channel has not written yet, and is reused once all are written. */
class CorkBufferTest {
    private static byte[] frame(int size, int seed) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) seed);
        return bytes;
    }

    private static byte[] bytesOf(ByteBuf slice) {
        return ByteBufUtil.getBytes(slice);
    }

    @Test
    void aSliceStillWaitingKeepsItsBytesAcrossTurnsAndTheBufferIsReusedOnceAllAreWritten() {
        CorkBuffer cork = new CorkBuffer();
        ByteBuf waiting = cork.slice(frame(100, 1), 0, 100); // a congested channel does not write it
        ByteBuf written = cork.slice(frame(50, 2), 0, 50);
        written.release(); // the socket took it
        cork.turnEnded();
        ByteBuf next = cork.slice(frame(100, 3), 0, 100);
        assertThat(bytesOf(waiting)).isEqualTo(frame(100, 1));
        assertThat(bytesOf(next)).isEqualTo(frame(100, 3));
        assertThat(waiting.memoryAddress()).as("appended after what still waits").isNotEqualTo(next.memoryAddress());
        assertThat(cork.slicesOutstanding()).isEqualTo(2);

        waiting.release();
        next.release();
        cork.turnEnded();
        ByteBuf reused = cork.slice(frame(10, 4), 0, 10);
        assertThat(reused.memoryAddress()).as("written from the beginning again").isEqualTo(waiting.memoryAddress());
        assertThat(bytesOf(reused)).isEqualTo(frame(10, 4));
        reused.release();
    }

    @Test
    void aFullBufferIsLetGoAndFreedOnlyAfterItsLastSliceIsWritten() {
        CorkBuffer cork = new CorkBuffer();
        List<ByteBuf> waiting = new ArrayList<>();
        int frames = CorkBuffer.CAPACITY / 1000 + 5; // more than one buffer holds
        for (int i = 0; i < frames; i++) {
            waiting.add(cork.slice(frame(1000, i), 0, 1000));
        }
        for (int i = 0; i < frames; i++) {
            assertThat(bytesOf(waiting.get(i))).as("frame %d", i).isEqualTo(frame(1000, i));
        }
        ByteBuf first = waiting.get(0);
        ByteBuf last = waiting.get(frames - 1);
        assertThat(first.unwrap()).as("two buffers").isNotSameAs(last.unwrap());
        waiting.forEach(ByteBuf::release);
        assertThat(first.refCnt()).as("the full buffer is freed").isZero();
        assertThat(last.refCnt()).as("the current one is kept").isEqualTo(1);
    }

    @Test
    void aFrameTooLargeForTheBufferIsLeftToTheCaller() {
        assertThat(new CorkBuffer().slice(new byte[CorkBuffer.CAPACITY], 0, CorkBuffer.CAPACITY)).isNull();
    }
}
