package dev.universerelay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * Everything waiting to be written to one connection. Any thread may add (universes enqueue while
 * holding their lock, so this never blocks); only the channel's event loop writes and takes items
 * off the queue. Whatever piled up between two flushes leaves in as few frames as possible, so
 * batching grows with load.
 *
 * <p>A reader that cannot keep up (its channel is not writable) gets its {@code velocity} events
 * coalesced: a newer state of an entity replaces the bytes of its queued older one in place, which
 * is safe because states are absolute, and leaves nothing behind in the queue. Any other event of
 * that entity ends the replacing (a later state is queued after it), so each entity's events keep
 * their order. {@code appeared}, {@code destroyed}, {@code hidden} and control messages are never
 * dropped; when they would push the queue past {@code maxPendingBytes}, the connection is closed
 * with 1013 instead. So what one connection holds is at most {@code maxPendingBytes} of payload
 * here plus what Netty accepted while the channel was writable (its high water mark and one batch).
 *
 * <p>A {@code welcome} is counted apart from that cap, in the node's {@link WelcomeBudget}: its size
 * follows from the universe (every entity the newcomer may see), not from how slowly the client
 * reads, so a connection whose queue holds only its welcome is never closed for its size, and events
 * behind it still have the whole cap. The welcome's bytes are taken from the budget when it is
 * handed to the channel and given back once the socket has taken them (or the channel is gone), so
 * they count while they sit in Netty's buffer for a client that does not read. A welcome that would
 * take the node past its budget is not written: the connection is closed with 1013, and the client
 * may try again (docs/protocol.md, section 8). A client gets one welcome per connection or resume,
 * and one whose socket takes less than 4 KiB of its welcome within {@code relay.websocket.welcome-timeout}
 * is closed with 1013 ({@link Housekeeping}), so a few clients that never read cannot keep the
 * budget from newcomers for longer than that.
 *
 * <p>WebSocket control frames go around the queue and are never queued twice: at most one pong (the
 * answer to the latest client ping, as RFC 6455 5.5.3 allows) and one server ping wait here, and
 * either is written only while the channel is writable and dropped otherwise, so a client that sends
 * pings and never reads makes the server hold at most one 125-byte pong.
 *
 * <p>Closing: the close frame is written (after what is queued for {@link #close}, at once for
 * {@link #closeNow}) and the channel closed; {@link WebSocketFrameReader} holds that close back until
 * the client's Close arrives or {@code relay.websocket.close-timeout} passes, reading and discarding
 * meanwhile, so that the close frame is not lost to a TCP reset (RFC 6455 7.1.1). A {@link #close}
 * whose close frame cannot be written within that timeout (a reader that does not read) becomes a
 * {@link #closeNow}.
 */
final class Outbox {
    /** Largest batched frame; keeps frames within what common clients accept by default. */
    static final int MAX_BATCH_BYTES = 16 * 1024;
    /** How long a close frame may take to leave when none is configured (unit tests). */
    static final long DEFAULT_CLOSE_TIMEOUT_MILLIS = 2000;
    private static final byte[] NO_BYTES = new byte[0];
    private static final AtomicIntegerFieldUpdater<Outbox> FLUSH_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "flushScheduled");
    private static final AtomicIntegerFieldUpdater<Outbox> PENDING = AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "pending");

    /** Bytes a socket must take of its welcome within the welcome timeout for the client to count as reading it. */
    static final int WELCOME_PROGRESS_BYTES = 4096;
    /** SNAPSHOT: a {@code welcome}, written like CONTROL but counted in the welcome budget, not the cap (see {@link #snapshot}). */
    private enum Kind { BINARY_EVENT, JSON_EVENT, CONTROL, SNAPSHOT, CLOSE }

    /**
     * One queued message. Its bytes are taken exactly once, by the writer; until then, a newer
     * state of the same entity may swap them (compare-and-set, so a write and a swap never both
     * win).
     */
    private static final class Item {
        private static final AtomicReferenceFieldUpdater<Item, byte[]> BYTES =
                AtomicReferenceFieldUpdater.newUpdater(Item.class, byte[].class, "bytes");
        final Kind kind;
        final int closeCode;
        final String reason;
        volatile byte[] bytes;

        Item(Kind kind, byte[] bytes, int closeCode, String reason) {
            this.kind = kind;
            this.bytes = bytes;
            this.closeCode = closeCode;
            this.reason = reason;
        }

        /** The bytes to write, or null when they were taken already. */
        byte[] take() {
            return BYTES.getAndSet(this, null);
        }

        /** Replaces the queued bytes by newer ones; false when the writer took them first. */
        boolean replace(byte[] older, byte[] newer) {
            return BYTES.compareAndSet(this, older, newer);
        }
    }

    private final Channel channel;
    private final int maxPendingBytes;
    private final Owner owner;
    private final WelcomeBudget welcomes;
    private final long closeTimeoutMillis;
    /** The payload of the pong to write, the latest ping's (null when none is due). */
    private volatile byte[] pong;
    /** Whether a server ping is due. */
    private volatile boolean pingDue;
    /** When the welcome now in Netty's buffer was handed to it (System.nanoTime), 0 while none is. */
    private volatile long welcomeSinceNanos;
    /**
     * What {@link #welcomeStuck} last saw (the housekeeping sweep's thread only): the welcome it
     * watches, when its socket last took {@link #WELCOME_PROGRESS_BYTES} or more, and the bytes
     * Netty still held then. A client that reads its welcome, however slowly the machine lets it,
     * keeps making progress; one that does not read stops.
     */
    private long welcomeWatchedSince;
    private long welcomeProgressNanos;
    private long welcomeProgressPending;
    private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
    /** 1 while a flush is requested and has not started (field updaters: no atomic objects per connection). */
    private volatile int flushScheduled;
    /** Payload bytes queued and not yet handed to the channel. */
    private volatile int pending;
    private final LoopFlusher flusher;
    /**
     * The queued velocity of each entity that newer states may replace; exists only while the
     * channel is congested (guarded by this).
     */
    private volatile Map<Long, Item> replaceable;
    private volatile boolean closing;
    /** Set by {@link #closeNow}: the writer drops what is queued and writes the close frame. */
    private volatile boolean abort;
    private volatile int closeCode = -1;
    private volatile String closeReason;
    /** Whether the close frame was written (event loop only). */
    private boolean closeWritten;

    /** What an outbox tells its connection. */
    interface Owner {
        /** Events that are never dropped would take the queue past the cap: close with 1013. */
        void overflowed();

        /** A velocity was replaced by a newer state of its entity. */
        void coalesced();

        /** Payload bytes handed to the channel. */
        void written(int bytes);

        /** A welcome would take the node past its welcome budget: close with 1013. */
        default void welcomeRefused() {
            overflowed();
        }
    }

    Outbox(Channel channel, int maxPendingBytes, long flushIntervalMicros, Owner owner) {
        this(channel, maxPendingBytes, flushIntervalMicros, owner, WelcomeBudget.UNLIMITED, DEFAULT_CLOSE_TIMEOUT_MILLIS);
    }

    Outbox(Channel channel, int maxPendingBytes, long flushIntervalMicros, Owner owner, WelcomeBudget welcomes,
           long closeTimeoutMillis) {
        this.channel = channel;
        this.maxPendingBytes = maxPendingBytes;
        this.owner = owner;
        this.welcomes = welcomes;
        this.closeTimeoutMillis = closeTimeoutMillis;
        this.flusher = LoopFlusher.of(channel.eventLoop(), flushIntervalMicros);
    }

    /**
     * Queues a delta event about entity {@code entityId}; a {@code velocity} may be coalesced
     * with a queued older state of the same entity while the channel is congested.
     */
    void event(byte[] bytes, boolean binary, long entityId, boolean velocity) {
        if (closing) {
            return;
        }
        if (velocity && !channel.isWritable()) {
            coalesceOrQueue(entityId, new Item(binary ? Kind.BINARY_EVENT : Kind.JSON_EVENT, bytes, 0, null));
            return;
        }
        if (replaceable != null) {
            forget(entityId);
        }
        add(new Item(binary ? Kind.BINARY_EVENT : Kind.JSON_EVENT, bytes, 0, null));
    }

    void control(byte[] json) {
        if (!closing) {
            add(new Item(Kind.CONTROL, json, 0, null));
        }
    }

    /**
     * Queues a {@code welcome}, counted in the node's welcome budget instead of this connection's
     * byte cap (see the class comment): counting it in the cap would close newcomers of large
     * universes with 1013 before they read anything.
     */
    void snapshot(byte[] json) {
        if (!closing) {
            queue.add(new Item(Kind.SNAPSHOT, json, 0, null));
            scheduleFlush();
        }
    }

    /**
     * Swaps the newer state into the entity's queued velocity if the writer has not taken it yet;
     * otherwise queues it, as the entity's velocity that later states replace.
     */
    private void coalesceOrQueue(long entityId, Item newer) {
        boolean overflow;
        synchronized (this) {
            Map<Long, Item> queued = replaceable;
            if (queued == null) {
                queued = new HashMap<>();
                replaceable = queued;
            }
            Item older = queued.get(entityId);
            byte[] olderBytes = older == null ? null : older.bytes;
            if (olderBytes != null && reserve(newer.bytes.length - olderBytes.length)) {
                if (older.replace(olderBytes, newer.bytes)) {
                    owner.coalesced();
                    return;
                }
                PENDING.addAndGet(this, olderBytes.length - newer.bytes.length); // the writer took it first
            }
            overflow = !reserve(newer.bytes.length);
            if (!overflow) {
                queued.put(entityId, newer);
                queue.add(newer);
            }
        }
        if (overflow) {
            owner.overflowed();
        } else {
            scheduleFlush();
        }
    }

    /** After another event of the entity, its later states must not move in front of it. */
    private synchronized void forget(long entityId) {
        if (replaceable != null) {
            replaceable.remove(entityId);
        }
    }

    /** Drops the coalescing index once everything queued has been written. */
    private synchronized void congestionOver() {
        if (queue.isEmpty()) {
            replaceable = null;
        }
    }

    /** Counts {@code bytes} more as pending unless that would take the total past the cap. */
    private boolean reserve(int bytes) {
        while (true) {
            int current = pending;
            int next = current + bytes;
            if (bytes > 0 && next > maxPendingBytes) {
                return false;
            }
            if (PENDING.compareAndSet(this, current, next)) {
                return true;
            }
        }
    }

    private void add(Item item) {
        if (!reserve(item.bytes.length)) {
            owner.overflowed();
            return;
        }
        queue.add(item);
        scheduleFlush();
    }

    /**
     * Answers a client ping with {@code payload} (at most 125 bytes) if the channel is writable;
     * replaces an answer not written yet, and is dropped while the channel is not writable.
     */
    void pong(byte[] payload) {
        if (!closing && channel.isWritable()) {
            pong = payload;
            scheduleFlush();
        }
    }

    /** Sends a server ping if the channel is writable (a reader that is not reading would not answer it). */
    void ping() {
        if (!closing && channel.isWritable()) {
            pingDue = true;
            scheduleFlush();
        }
    }

    /**
     * Closes after everything queued so far has been written; later messages are dropped. If the
     * close frame has not been written within the close timeout, what is still queued is dropped.
     */
    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        closeCode = code;
        queue.add(new Item(Kind.CLOSE, NO_BYTES, code, reason));
        scheduleFlush();
        channel.eventLoop().schedule(() -> {
            if (!closeWritten) {
                closeNow(code, reason);
            }
        }, closeTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Marks this connection closed with {@code code} by a close frame written elsewhere (Netty's
     * frame decoder answers protocol violations itself); nothing more is written. Event loop only.
     */
    void closedElsewhere(int code) {
        if (closeCode < 0) {
            closeCode = code;
        }
        closing = true;
        abort = true;
        closeWritten = true;
        scheduleFlush();
    }

    /** Drops what is queued and closes at once (for readers that fell too far behind). */
    void closeNow(int code, String reason) {
        if (closeCode < 0) {
            closeCode = code;
        }
        closeReason = reason;
        closing = true;
        abort = true;
        scheduleFlush();
    }

    /** The close code this connection was closed with, by either side; -1 while none. */
    int closeCode() {
        return closeCode;
    }

    boolean isClosing() {
        return closing;
    }

    /** Entries in the queue (O(n): for tests and diagnostics). */
    int queuedItems() {
        return queue.size();
    }

    /** Bytes queued and not yet handed to the channel. */
    int pendingBytes() {
        return pending;
    }

    /** Called when the channel became writable again. */
    void resume() {
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) {
            flusher.request(this);
        }
    }

    /** Writes what is queued, as far as the channel takes it; runs on the channel's event loop. */
    void flush() {
        flushScheduled = 0;
        if (!channel.isActive()) {
            discardQueued();
            return;
        }
        if (abort) {
            discardQueued();
            writeClose(closeCode, closeReason);
            return;
        }
        boolean wrote = writeControlFrames();
        int written = 0;
        Item item = queue.peek();
        while (item != null && (channel.isWritable() || item.kind == Kind.CLOSE)) {
            switch (item.kind) {
                case CLOSE -> {
                    discardQueued();
                    writeClose(item.closeCode, item.reason);
                    return;
                }
                case CONTROL -> {
                    queue.poll();
                    byte[] bytes = take(item);
                    if (bytes != null) {
                        channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
                        written += bytes.length;
                    }
                }
                case SNAPSHOT -> {
                    queue.poll();
                    byte[] bytes = take(item);
                    if (bytes != null && !writeWelcome(bytes)) {
                        item = null;
                        continue; // refused: the owner closes the connection
                    }
                    written += bytes == null ? 0 : bytes.length;
                }
                case BINARY_EVENT -> written += write(new BinaryWebSocketFrame(drainBatch(Kind.BINARY_EVENT)));
                case JSON_EVENT -> written += write(new TextWebSocketFrame(drainBatch(Kind.JSON_EVENT)));
            }
            item = queue.peek();
        }
        if (written > 0 || wrote) {
            channel.flush();
        }
        if (written > 0) {
            owner.written(written);
        }
        if (item == null && queue.isEmpty()) {
            congestionOver();
        }
    }

    /** Writes the due pong and server ping, if the channel takes them; true when one was written. */
    private boolean writeControlFrames() {
        if (pong == null && !pingDue) {
            return false;
        }
        boolean wrote = false;
        byte[] payload = pong;
        pong = null;
        if (payload != null && channel.isWritable()) {
            channel.write(new PongWebSocketFrame(Unpooled.wrappedBuffer(payload)));
            wrote = true;
        }
        boolean ping = pingDue;
        pingDue = false;
        if (ping && channel.isWritable()) {
            channel.write(new PingWebSocketFrame());
            wrote = true;
        }
        return wrote;
    }

    /**
     * Hands a welcome to the channel if the node's welcome budget has room for it, and gives its
     * bytes back once the socket has taken them (or the write failed with the channel).
     */
    private boolean writeWelcome(byte[] bytes) {
        int size = bytes.length;
        if (!welcomes.tryTake(size)) {
            owner.welcomeRefused();
            return false;
        }
        welcomeSinceNanos = System.nanoTime() | 1; // never 0
        channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))).addListener(done -> {
            welcomeSinceNanos = 0;
            welcomes.giveBack(size);
        });
        return true;
    }

    /**
     * Whether a welcome has sat in Netty's buffer, not taken by the socket, for longer than
     * {@code timeoutNanos}: a client that does not read, holding part of the node's welcome budget.
     */
    boolean welcomeStuck(long nowNanos, long timeoutNanos) {
        long since = welcomeSinceNanos;
        if (since == 0) {
            return false;
        }
        if (since != welcomeWatchedSince) { // a welcome not looked at yet
            welcomeWatchedSince = since;
            welcomeProgressNanos = since;
            welcomeProgressPending = Long.MAX_VALUE;
        }
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        long pendingNow = buffer == null ? 0 : buffer.totalPendingWriteBytes();
        if (pendingNow + WELCOME_PROGRESS_BYTES <= welcomeProgressPending) { // the client reads
            welcomeProgressPending = pendingNow;
            welcomeProgressNanos = nowNanos;
        }
        return nowNanos - welcomeProgressNanos > timeoutNanos;
    }

    private byte[] take(Item item) {
        byte[] bytes = item.take();
        if (bytes != null && item.kind != Kind.SNAPSHOT) {
            PENDING.addAndGet(this, -bytes.length);
        }
        return bytes;
    }

    private void discardQueued() {
        queue.clear();
        pending = 0;
        pong = null;
        pingDue = false;
    }

    /**
     * Writes the close frame and closes the channel; {@link WebSocketFrameReader} holds the close
     * back until the client's Close or the close timeout (RFC 6455 7.1.1).
     */
    private void writeClose(int code, String reason) {
        if (closeWritten) {
            return;
        }
        closeWritten = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        channel.close();
    }

    private int write(io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
        int size = frame.content().readableBytes();
        channel.write(frame);
        return size;
    }

    /**
     * Takes consecutive events of one kind off the queue into one frame's payload. One event (the
     * common case below some 200k events/s) is its own shared bytes, wrapped without a copy or a
     * pooled buffer: Netty's WebSocket encoder copies small payloads into its own buffer anyway, and
     * writing into a pooled direct buffer costs a {@code DirectByteBuffer} view per buffer in Netty
     * 4.2's adaptive allocator. Several are joined in a pooled buffer sized for about eight.
     */
    private ByteBuf drainBatch(Kind kind) {
        byte[] first = take(queue.poll());
        Item next = queue.peek();
        if (next == null || next.kind != kind) {
            return Unpooled.wrappedBuffer(first);
        }
        boolean json = kind == Kind.JSON_EVENT;
        ByteBuf out = channel.alloc().buffer(Math.min(MAX_BATCH_BYTES, 8 * (first.length + 1)));
        if (json) {
            out.writeByte('[');
        }
        out.writeBytes(first);
        for (Item item = next; item != null && item.kind == kind; item = queue.peek()) {
            byte[] queued = item.bytes;
            if (queued != null && out.readableBytes() + queued.length >= MAX_BATCH_BYTES) {
                break;
            }
            queue.poll();
            byte[] bytes = take(item);
            if (bytes != null) {
                if (json) {
                    out.writeByte(',');
                }
                out.writeBytes(bytes);
            }
        }
        if (json) {
            out.writeByte(']');
        }
        return out;
    }

    @Override
    public String toString() {
        return "outbox of " + channel + " (" + pending + " bytes pending)";
    }
}
