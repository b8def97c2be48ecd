package dev.universerelay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything waiting to be written to one connection. Any thread may add (universes enqueue while
 * holding their lock, so this never blocks); only the channel's event loop writes. Whatever piled
 * up between two flushes leaves in as few frames as possible, so batching grows with load.
 * A reader too slow to keep its queue under {@code maxPendingBytes} is closed with 1013.
 */
final class Outbox {
    /** Largest batched frame; keeps frames within what common clients accept by default. */
    static final int MAX_BATCH_BYTES = 16 * 1024;

    private enum Kind { BINARY_EVENT, JSON_EVENT, CONTROL, CLOSE }

    private record Item(Kind kind, byte[] bytes, int closeCode, String reason) {
    }

    private final Channel channel;
    private final int maxPendingBytes;
    private final Runnable onOverflow;
    private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicInteger pendingBytes = new AtomicInteger();
    private final Runnable flushTask = this::flush;
    private volatile boolean closing;
    private volatile int closeCode = -1;

    Outbox(Channel channel, int maxPendingBytes, Runnable onOverflow) {
        this.channel = channel;
        this.maxPendingBytes = maxPendingBytes;
        this.onOverflow = onOverflow;
    }

    void binaryEvent(byte[] bytes) {
        add(new Item(Kind.BINARY_EVENT, bytes, 0, null));
    }

    void jsonEvent(byte[] bytes) {
        add(new Item(Kind.JSON_EVENT, bytes, 0, null));
    }

    void control(byte[] json) {
        add(new Item(Kind.CONTROL, json, 0, null));
    }

    /** Closes after everything queued so far has been written; later messages are dropped. */
    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        closeCode = code;
        queue.add(new Item(Kind.CLOSE, null, code, reason));
        scheduleFlush();
    }

    /** Drops what is queued and closes at once (for readers that fell too far behind). */
    void closeNow(int code, String reason) {
        closing = true;
        if (closeCode < 0) {
            closeCode = code;
        }
        queue.clear();
        pendingBytes.set(0);
        queue.add(new Item(Kind.CLOSE, null, code, reason));
        scheduleFlush();
    }

    /** The close code this connection was closed with, by either side; -1 while none. */
    int closeCode() {
        return closeCode;
    }

    boolean isClosing() {
        return closing;
    }

    private void add(Item item) {
        if (closing) {
            return;
        }
        queue.add(item);
        if (pendingBytes.addAndGet(item.bytes().length) > maxPendingBytes) {
            onOverflow.run();
            return;
        }
        scheduleFlush();
    }

    /** Called when the channel became writable again. */
    void resume() {
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flush() {
        flushScheduled.set(false);
        if (!channel.isActive()) {
            queue.clear();
            pendingBytes.set(0);
            return;
        }
        boolean wrote = false;
        Item item = queue.peek();
        while (item != null && (channel.isWritable() || item.kind() == Kind.CLOSE)) {
            switch (item.kind()) {
                case CLOSE -> {
                    queue.clear();
                    channel.writeAndFlush(new CloseWebSocketFrame(item.closeCode(), item.reason()))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                case CONTROL -> {
                    queue.poll();
                    pendingBytes.addAndGet(-item.bytes().length);
                    channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(item.bytes())));
                }
                case BINARY_EVENT -> channel.write(new BinaryWebSocketFrame(drainBatch(Kind.BINARY_EVENT)));
                case JSON_EVENT -> channel.write(new TextWebSocketFrame(drainBatch(Kind.JSON_EVENT)));
            }
            wrote = true;
            item = queue.peek();
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Takes consecutive events of one kind off the queue into one frame's payload. */
    private ByteBuf drainBatch(Kind kind) {
        ByteBuf out = channel.alloc().buffer(256);
        boolean json = kind == Kind.JSON_EVENT;
        int count = 0;
        Item item = queue.peek();
        while (item != null && item.kind() == kind && (count == 0 || out.readableBytes() + item.bytes().length < MAX_BATCH_BYTES)) {
            queue.poll();
            pendingBytes.addAndGet(-item.bytes().length);
            if (json) {
                out.writeByte(count == 0 ? '[' : ',');
            }
            out.writeBytes(item.bytes());
            count++;
            item = queue.peek();
        }
        if (json) {
            if (count == 1) {
                out.readerIndex(1); // a single message goes as a plain object
            } else {
                out.writeByte(']');
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "outbox of " + channel + " (" + pendingBytes.get() + " bytes pending)";
    }
}
