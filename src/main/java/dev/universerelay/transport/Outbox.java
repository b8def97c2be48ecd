package dev.universerelay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Everything waiting to be written to one connection. Whatever piled up during one turn of the
 * connection's event loop leaves at the end of that turn in as few frames as possible and one socket
 * write ({@link LoopFlusher}), so batching grows with load.
 *
 * <p><b>Concurrency: one mechanism per job.</b>
 * <ol>
 * <li>The queue and everything written are <em>confined to the channel's event loop</em>: no lock,
 * no atomic, no concurrent queue. Messages and closes arrive as tasks of that loop, in the order they
 * were handed over ({@link WireFanout} hands a whole fan-out over with one task per loop, even to the
 * loop it runs on, so the order of the universe's lock is kept); the other methods run at once on the
 * loop and hand themselves over from other threads.</li>
 * <li>The decision to close is taken once, by whichever thread comes first: a compare-and-set on the
 * close code, visible at once to every thread through {@link #isClosing} (so a refusal is reported
 * once, and producers stop early).</li>
 * <li>Figures other threads read (pending bytes and items, for diagnostics and tests; when the welcome
 * was handed to Netty, for {@link Housekeeping}) are written by the loop alone and published with
 * ordered stores.</li>
 * </ol>
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
    /** Bytes a socket must take of its welcome within the welcome timeout for the client to count as reading it. */
    static final int WELCOME_PROGRESS_BYTES = 4096;
    private static final int OPEN = -1;
    private static final AtomicIntegerFieldUpdater<Outbox> CLOSE_CODE =
            AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "closeCode");
    private static final AtomicIntegerFieldUpdater<Outbox> PENDING_SEEN =
            AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "pendingSeen");
    private static final AtomicIntegerFieldUpdater<Outbox> ITEMS_SEEN =
            AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "itemsSeen");

    // What the queue holds, in order: a byte[] is a binary event (the common case, queued without a
    // wrapper), the records below are the rest.
    /** A JSON event. */
    private record JsonEvent(byte[] bytes) {
    }

    /** A velocity queued while the channel was congested, which a newer state of its entity may replace. */
    private static final class Held {
        final boolean binary;
        /** Null once written. */
        byte[] bytes;

        Held(byte[] bytes, boolean binary) {
            this.bytes = bytes;
            this.binary = binary;
        }
    }

    /** A control message (JSON text frame of its own). */
    private record Control(byte[] json) {
    }

    /** A {@code welcome}: a control message counted in the welcome budget, not the cap (see {@link #snapshot}). */
    private record Snapshot(byte[] json) {
    }

    /** The close frame, after everything queued before it. */
    private record CloseMark(int code, String reason) {
    }

    private final Channel channel;
    private final EventLoop loop;
    private final LoopFlusher flusher;
    private final int maxPendingBytes;
    private final Owner owner;
    private final WelcomeBudget welcomes;
    private final long closeTimeoutMillis;
    /** Whether events may be written as raw frame bytes (no WebSocket extension can be on the socket). */
    private final boolean rawFrames;

    // ---- event loop only -------------------------------------------------------------------------
    /**
     * Starts with room for one item and grows on demand: an idle connection queues nothing, and the
     * default 16 slots were 64 bytes more of every idle connection's heap.
     */
    private final ArrayDeque<Object> queue = new ArrayDeque<>(1);
    /** Payload bytes queued and not yet handed to the channel (welcomes apart). */
    private int pending;
    /** The queued velocity of each entity that newer states may replace; exists only while the channel is congested. */
    private Map<Long, Held> replaceable;
    /** Whether this outbox asked its loop's flusher for the end of this turn. */
    private boolean flushRequested;
    /** The payload of the pong to write, the latest ping's (null when none is due). */
    private byte[] pong;
    /** Whether a server ping is due. */
    private boolean pingDue;
    /** A close is queued: what comes after it is dropped. */
    private boolean closeQueued;
    /** Set by {@link #closeNow}: the writer drops what is queued and writes the close frame. */
    private boolean abort;
    private String abortReason;
    /** Whether the close frame was written. */
    private boolean closeWritten;
    /** The context of Netty's frame encoder, found on first use (raw frames only). */
    private ChannelHandlerContext frameEncoder;
    /** Whether frames may go to the socket directly ({@link DirectSend}): 0 not decided yet (for this encoder), 1 yes, 2 no. */
    private byte directSend;
    /** Whether this flush handed events to Netty, which then needs a flush. */
    private boolean eventsToNetty;
    /** Frames sent directly, whole (tests). */
    private int directSends;

    // ---- the close decision (any thread, once) ---------------------------------------------------
    private volatile int closeCode = OPEN;
    private volatile boolean closing;

    // ---- published by the loop for other threads -------------------------------------------------
    private volatile int pendingSeen;
    private volatile int itemsSeen;
    /** When the welcome now in Netty's buffer was handed to it (System.nanoTime), 0 while none is. */
    private volatile long welcomeSinceNanos;

    // ---- the housekeeping sweep's thread only ----------------------------------------------------
    /**
     * What {@link #welcomeStuck} last saw: the welcome it watches, when its socket last took
     * {@link #WELCOME_PROGRESS_BYTES} or more, and the bytes Netty still held then. A client that reads
     * its welcome, however slowly the machine lets it, keeps making progress; one that does not read stops.
     */
    private long welcomeWatchedSince;
    private long welcomeProgressNanos;
    private long welcomeProgressPending;

    /** What an outbox tells its connection (on the event loop). */
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

    /** An outbox with its own flusher (unit tests on Netty's embedded channel). */
    Outbox(Channel channel, int maxPendingBytes, long flushIntervalMicros, Owner owner) {
        this(channel, maxPendingBytes, new LoopFlusher(channel.eventLoop(), flushIntervalMicros), owner,
                WelcomeBudget.UNLIMITED, DEFAULT_CLOSE_TIMEOUT_MILLIS, true);
    }

    /** An outbox with its own flusher and the given welcome budget (unit tests). */
    Outbox(Channel channel, int maxPendingBytes, long flushIntervalMicros, Owner owner, WelcomeBudget welcomes,
           long closeTimeoutMillis) {
        this(channel, maxPendingBytes, new LoopFlusher(channel.eventLoop(), flushIntervalMicros), owner, welcomes,
                closeTimeoutMillis, true);
    }

    /**
     * {@code rawFrames}: whether events may be written as frame bytes past Netty's encoder, which must
     * be false when a WebSocket extension (permessage-deflate) may be on the socket: its encoder sits
     * in front of the frame encoder and would be skipped.
     */
    Outbox(Channel channel, int maxPendingBytes, LoopFlusher flusher, Owner owner, WelcomeBudget welcomes,
           long closeTimeoutMillis, boolean rawFrames) {
        this.rawFrames = rawFrames;
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.flusher = flusher;
        this.maxPendingBytes = maxPendingBytes;
        this.owner = owner;
        this.welcomes = welcomes;
        this.closeTimeoutMillis = closeTimeoutMillis;
    }

    /** The event loop this outbox is confined to. */
    EventLoop loop() {
        return loop;
    }

    /**
     * Queues a delta event about entity {@code entityId}; a {@code velocity} may be coalesced
     * with a queued older state of the same entity while the channel is congested.
     */
    void event(byte[] bytes, boolean binary, long entityId, boolean velocity) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> event(bytes, binary, entityId, velocity));
            return;
        }
        if (closeQueued || abort) {
            return;
        }
        if (velocity && !channel.isWritable()) {
            coalesceOrQueue(entityId, bytes, binary);
            return;
        }
        if (replaceable != null) {
            replaceable.remove(entityId); // a later state must not move in front of this event
        }
        if (!fits(bytes.length)) {
            owner.overflowed();
            return;
        }
        append(binary ? bytes : new JsonEvent(bytes), bytes.length);
    }

    void control(byte[] json) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> control(json));
            return;
        }
        if (closeQueued || abort) {
            return;
        }
        if (!fits(json.length)) {
            owner.overflowed();
            return;
        }
        append(new Control(json), json.length);
    }

    /**
     * Queues a {@code welcome}, counted in the node's welcome budget instead of this connection's
     * byte cap (see the class comment): counting it in the cap would close newcomers of large
     * universes with 1013 before they read anything.
     */
    void snapshot(byte[] json) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> snapshot(json));
            return;
        }
        if (!closeQueued && !abort) {
            append(new Snapshot(json), 0);
        }
    }

    /**
     * Swaps the newer state into the entity's queued velocity if it has not been written yet;
     * otherwise queues it, as the entity's velocity that later states replace.
     */
    private void coalesceOrQueue(long entityId, byte[] newer, boolean binary) {
        if (replaceable == null) {
            replaceable = new HashMap<>();
        }
        Held older = replaceable.get(entityId);
        if (older != null && older.bytes != null && fits(newer.length - older.bytes.length)) {
            pending += newer.length - older.bytes.length;
            older.bytes = newer;
            PENDING_SEEN.lazySet(this, pending);
            owner.coalesced();
            return;
        }
        if (!fits(newer.length)) {
            owner.overflowed();
            return;
        }
        Held held = new Held(newer, binary);
        replaceable.put(entityId, held);
        append(held, newer.length);
    }

    /** Whether {@code bytes} more fit under the cap. */
    private boolean fits(int bytes) {
        return bytes <= 0 || pending + bytes <= maxPendingBytes;
    }

    private void append(Object item, int bytes) {
        queue.addLast(item);
        pending += bytes;
        publish();
        requestFlush();
    }

    private void publish() {
        PENDING_SEEN.lazySet(this, pending);
        ITEMS_SEEN.lazySet(this, queue.size());
    }

    private void requestFlush() {
        if (!flushRequested) {
            flushRequested = true;
            flusher.request(this);
        }
    }

    /**
     * Answers a client ping with {@code payload} (at most 125 bytes) if the channel is writable;
     * replaces an answer not written yet, and is dropped while the channel is not writable.
     */
    void pong(byte[] payload) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> pong(payload));
            return;
        }
        if (!closing && channel.isWritable()) {
            pong = payload;
            requestFlush();
        }
    }

    /** Sends a server ping if the channel is writable (a reader that is not reading would not answer it). */
    void ping() {
        if (!loop.inEventLoop()) {
            loop.execute(this::ping);
            return;
        }
        if (!closing && channel.isWritable()) {
            pingDue = true;
            requestFlush();
        }
    }

    /**
     * Closes after everything queued so far has been written; later messages are dropped. If the
     * close frame has not been written within the close timeout, what is still queued is dropped.
     */
    void close(int code, String reason) {
        if (!CLOSE_CODE.compareAndSet(this, OPEN, code)) {
            return;
        }
        closing = true;
        loop.execute(() -> { // a task even on the loop: after the messages handed over before the decision
            if (closeQueued || abort) {
                return;
            }
            closeQueued = true;
            append(new CloseMark(code, reason), 0);
            loop.schedule(() -> {
                if (!closeWritten) {
                    closeNow(code, reason);
                }
            }, closeTimeoutMillis, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Marks this connection closed with {@code code} by a close frame written elsewhere (Netty's
     * frame decoder answers protocol violations itself); nothing more is written. Event loop only.
     */
    void closedElsewhere(int code) {
        CLOSE_CODE.compareAndSet(this, OPEN, code);
        closing = true;
        abort = true;
        closeWritten = true;
        requestFlush();
    }

    /** Drops what is queued and closes at once (for readers that fell too far behind). */
    void closeNow(int code, String reason) {
        CLOSE_CODE.compareAndSet(this, OPEN, code);
        closing = true;
        onLoop(() -> {
            if (!abort) {
                abort = true;
                abortReason = reason;
            }
            requestFlush();
        });
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** The close code this connection was closed with, by either side; -1 while none. */
    int closeCode() {
        return closeCode;
    }

    boolean isClosing() {
        return closing;
    }

    /** Entries in the queue (as last published by the loop: for tests and diagnostics). */
    int queuedItems() {
        return itemsSeen;
    }

    /** Bytes queued and not yet handed to the channel (as last published by the loop). */
    int pendingBytes() {
        return pendingSeen;
    }

    /** Called when the channel became writable again (event loop). */
    void resume() {
        onLoop(this::requestFlush);
    }

    /** Writes what is queued, as far as the channel takes it; runs on the channel's event loop, at the end of a turn. */
    void flush() {
        flushRequested = false;
        if (!channel.isActive()) {
            discardQueued();
            return;
        }
        if (abort) {
            discardQueued();
            writeClose(closeCode, abortReason);
            return;
        }
        boolean wrote = writeControlFrames();
        int written = 0;
        Object item = queue.peekFirst();
        while (item != null && (channel.isWritable() || item instanceof CloseMark)) {
            if (item instanceof CloseMark close) {
                discardQueued();
                eventsToNetty = false; // the close frame's write flushes them
                writeClose(close.code(), close.reason());
                return;
            } else if (item instanceof Control control) {
                queue.pollFirst();
                pending -= control.json().length;
                channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(control.json())), channel.voidPromise());
                written += control.json().length;
                wrote = true;
            } else if (item instanceof Snapshot snapshot) {
                queue.pollFirst();
                if (!writeWelcome(snapshot.json())) {
                    break; // refused: the owner closes the connection
                }
                written += snapshot.json().length;
                wrote = true;
            } else {
                written += writeEvents(isBinary(item));
            }
            item = queue.peekFirst();
        }
        if (eventsToNetty || wrote) {
            eventsToNetty = false;
            if (frameEncoder != null && !frameEncoder.isRemoved()) {
                frameEncoder.flush(); // the same flush, without the walk from the pipeline's tail
            } else {
                channel.flush();
            }
        }
        if (queue.isEmpty()) {
            replaceable = null; // congestion over
        }
        publish();
        if (written > 0) {
            owner.written(written);
        }
    }

    private static boolean isBinary(Object event) {
        return event instanceof byte[] || (event instanceof Held held && held.binary);
    }

    private static boolean isEvent(Object item, boolean binary) {
        if (item instanceof byte[]) {
            return binary;
        }
        if (item instanceof JsonEvent) {
            return !binary;
        }
        return item instanceof Held held && held.binary == binary;
    }

    /** The bytes of a queued event, taking a held one (it cannot be replaced once written). */
    private static byte[] take(Object event) {
        if (event instanceof byte[] bytes) {
            return bytes;
        }
        if (event instanceof JsonEvent json) {
            return json.bytes();
        }
        Held held = (Held) event;
        byte[] bytes = held.bytes;
        held.bytes = null;
        return bytes;
    }

    /**
     * Takes consecutive events of one wire off the queue into one frame and hands it to the channel;
     * returns the payload bytes. The events are counted first, so that the frame is assembled once, at
     * its exact size. Without an extension on the socket (permessage-deflate off, the default) the
     * relay writes the frame's bytes itself, header included, into a slice of its loop's
     * {@link CorkBuffer}, which goes past Netty's WebSocket encoder straight to the socket's outbound
     * buffer: no frame object, no pooled buffer per write, no second copy in the encoder, no walk
     * through the pipeline (docs/performance.md, "Universe affinity and raw frames"). Otherwise, one
     * event is its own shared bytes wrapped without a copy, several are joined in a heap buffer, and
     * the encoder frames them.
     */
    private int writeEvents(boolean binary) {
        int count = 0;
        int batched = binary ? 0 : 1; // a JSON batch is an array: '[', then each event and a ',' or ']'
        for (Object item : queue) {
            if (!isEvent(item, binary)) {
                break;
            }
            int length = peekBytes(item).length;
            if (count > 0 && batched + length + 1 >= MAX_BATCH_BYTES) {
                break;
            }
            batched += binary ? length : length + 1;
            count++;
        }
        ChannelHandlerContext encoder = rawFrames ? frameEncoder() : null;
        if (count == 1 && encoder == null) {
            byte[] only = take(queue.pollFirst());
            pending -= only.length;
            ByteBuf payload = Unpooled.wrappedBuffer(only);
            channel.write(binary ? new BinaryWebSocketFrame(payload) : new TextWebSocketFrame(payload), channel.voidPromise());
            eventsToNetty = true;
            return only.length;
        }
        int size = count == 1 ? peekBytes(queue.peekFirst()).length : batched;
        boolean array = !binary && count > 1;
        int header = encoder != null ? FrameHeader.length(size) : 0;
        // assembled in the loop's scratch array, then copied to the channel's buffer in one call: each
        // bulk write of a byte[] into a pooled direct buffer makes a ByteBuffer view (Netty 4.2's
        // adaptive allocator), which per event was most of what the relay allocated
        byte[] frame = flusher.scratch(header + size);
        int at = encoder != null ? FrameHeader.write(frame, binary ? FrameHeader.BINARY : FrameHeader.TEXT, size) : 0;
        if (array) {
            frame[at++] = '[';
        }
        int taken = 0;
        for (int i = 0; i < count; i++) {
            byte[] bytes = take(queue.pollFirst());
            if (array && i > 0) {
                frame[at++] = ',';
            }
            System.arraycopy(bytes, 0, frame, at, bytes.length);
            at += bytes.length;
            taken += bytes.length;
        }
        if (array) {
            frame[at++] = ']';
        }
        pending -= taken;
        eventsToNetty = true; // unless sent whole below
        if (encoder != null) {
            int sent = sendDirectly(encoder, frame, at);
            if (sent == at) {
                // nothing of this channel's is in Netty (checked before the send), so nothing to flush
                eventsToNetty = false;
                directSends++;
                return size;
            }
            // the rest of the frame (all of it, mostly) goes Netty's way, behind what the socket took
            ByteBuf out = flusher.cork().slice(frame, sent, at - sent);
            if (out == null) {
                out = channel.alloc().ioBuffer(at - sent).writeBytes(frame, sent, at - sent);
            }
            encoder.write(out, channel.voidPromise()); // from the encoder's place on: past it, towards the socket
        } else {
            ByteBuf out = channel.alloc().heapBuffer(at).writeBytes(frame, 0, at);
            channel.write(binary ? new BinaryWebSocketFrame(out) : new TextWebSocketFrame(out), channel.voidPromise());
        }
        return size;
    }

    /** Netty's WebSocket frame encoder in this channel's pipeline, or null when there is none (unit tests' channels). */
    private ChannelHandlerContext frameEncoder() {
        ChannelHandlerContext encoder = frameEncoder;
        if (encoder == null || encoder.isRemoved()) {
            encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
            frameEncoder = encoder;
            directSend = 0; // decided again for this encoder's pipeline
        }
        return encoder;
    }

    /**
     * Sends the frame straight to the socket when this channel allows it and Netty holds nothing of it
     * ({@link DirectSend}); returns how many of its bytes the socket took (0 when none, or when not tried).
     */
    private int sendDirectly(ChannelHandlerContext encoder, byte[] frame, int length) {
        if (directSend == 0) {
            directSend = DirectSend.allowed(channel, encoder) ? (byte) 1 : (byte) 2;
        }
        if (directSend != 1 || !DirectSend.nettyHoldsNothing(channel)) {
            return 0;
        }
        long address = flusher.cork().stage(frame, length);
        return address == 0 ? 0 : Math.max(0, DirectSend.send(channel, address, length));
    }

    /** Frames this outbox sent to its socket directly, whole (tests; on the loop or after it settled). */
    int directSends() {
        return directSends;
    }

    private static byte[] peekBytes(Object event) {
        if (event instanceof byte[] bytes) {
            return bytes;
        }
        return event instanceof JsonEvent json ? json.bytes() : ((Held) event).bytes;
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
            channel.write(new PongWebSocketFrame(Unpooled.wrappedBuffer(payload)), channel.voidPromise());
            wrote = true;
        }
        boolean ping = pingDue;
        pingDue = false;
        if (ping && channel.isWritable()) {
            channel.write(new PingWebSocketFrame(), channel.voidPromise());
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
     * Called by the housekeeping sweep's thread.
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

    private void discardQueued() {
        for (Object item : queue) {
            if (item instanceof Held held) {
                held.bytes = null;
            }
        }
        queue.clear();
        pending = 0;
        replaceable = null;
        pong = null;
        pingDue = false;
        publish();
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

    @Override
    public String toString() {
        return "outbox of " + channel + " (" + pendingSeen + " bytes pending)";
    }
}
