package dev.universerelay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.ServerMessage;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batching, slow-reader coalescing and the 1013 cap of one connection's outbox, on Netty's embedded channel. */
class OutboxTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final AtomicInteger overflows = new AtomicInteger();
    private final AtomicInteger coalesced = new AtomicInteger();
    private final AtomicInteger written = new AtomicInteger();
    private final Outbox outbox = new Outbox(channel, 1000, 0, new Outbox.Owner() {
        @Override
        public void overflowed() {
            overflows.incrementAndGet();
            outboxClose();
        }

        @Override
        public void coalesced() {
            coalesced.incrementAndGet();
        }

        @Override
        public void written(int bytes) {
            written.addAndGet(bytes);
        }
    });

    /** An owner that ignores what it is told. */
    static final Outbox.Owner IGNORED = new Outbox.Owner() {
        @Override
        public void overflowed() {
        }

        @Override
        public void coalesced() {
        }

        @Override
        public void written(int bytes) {
        }
    };

    private void outboxClose() {
        outbox.closeNow(1013, "too slow");
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private static byte[] velocity(long id, float x) {
        return BinaryCodec.encode(new ServerMessage.Velocity(id, x, 0, 0, 0, 1));
    }

    private static byte[] appeared(long id) {
        return BinaryCodec.encode(new ServerMessage.Appeared(id, 1, 1, 0, 0, 0, 0, 1, 0));
    }

    private void congest(boolean congested) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, !congested);
    }

    /** Every event written so far, decoded from the binary frames, and the number of frames. */
    private List<ServerMessage.DeltaEvent> written(List<Integer> frames) {
        channel.runPendingTasks();
        List<ServerMessage.DeltaEvent> events = new ArrayList<>();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            WebSocketFrame frame = (WebSocketFrame) o;
            if (frame instanceof BinaryWebSocketFrame) {
                frames.add(frame.content().readableBytes());
                events.addAll(BinaryCodec.decodeServerFrame(frame.content().nioBuffer()));
            }
            frame.release();
        }
        return events;
    }

    @Test
    void eventsQueuedBetweenTwoFlushesLeaveInOneFrame() {
        outbox.event(appeared(1), true, 1, false);
        outbox.event(velocity(1, 1), true, 1, true);
        outbox.event(velocity(2, 2), true, 2, true);
        List<Integer> frames = new ArrayList<>();
        assertThat(written(frames)).extracting(ServerMessage.DeltaEvent::type).containsExactly("appeared", "velocity", "velocity");
        assertThat(frames).hasSize(1);
        assertThat(outbox.pendingBytes()).isZero();
        assertThat(written.get()).isEqualTo(35 + 25 + 25);
    }

    /**
     * Everything written to a channel whose pipeline holds Netty's server frame encoder, as the bytes
     * the socket would get: the relay's raw frames, or the encoder's output for frame objects.
     */
    private static byte[] wireBytes(boolean rawFrames, List<byte[]> binaryEvents, List<byte[]> jsonEvents) {
        EmbeddedChannel wire = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        try {
            Outbox outbox = new Outbox(wire, 1 << 20, new LoopFlusher(wire.eventLoop(), 0), IGNORED,
                    WelcomeBudget.UNLIMITED, 2000, rawFrames);
            // three turns: binary events alone (one frame each), a binary batch, then a JSON batch and a lone JSON event
            List<byte[]> out = new ArrayList<>();
            for (byte[] event : binaryEvents) {
                outbox.event(event, true, 1, false);
                wire.runPendingTasks();
            }
            binaryEvents.forEach(event -> outbox.event(event, true, 1, false));
            wire.runPendingTasks();
            jsonEvents.forEach(event -> outbox.event(event, false, 1, false));
            outbox.control("{\"t\":\"left\",\"player\":1}".getBytes(StandardCharsets.UTF_8));
            outbox.event(jsonEvents.get(0), false, 1, false);
            wire.runPendingTasks();
            io.netty.buffer.ByteBuf all = io.netty.buffer.Unpooled.buffer();
            for (Object o = wire.readOutbound(); o != null; o = wire.readOutbound()) {
                io.netty.buffer.ByteBuf bytes = (io.netty.buffer.ByteBuf) o;
                all.writeBytes(bytes);
                bytes.release();
            }
            return ByteBufUtil.getBytes(all);
        } finally {
            wire.finishAndReleaseAll();
        }
    }

    @Test
    void rawFramesAreByteForByteWhatNettysEncoderWrites() {
        // payloads on both sides of the header's length forms: 7 bits (<= 125) and 16 bits
        List<byte[]> binary = new ArrayList<>();
        for (int size : new int[] {1, 25, 125, 126, 127, 300, 5000}) {
            byte[] event = new byte[size];
            for (int i = 0; i < size; i++) {
                event[i] = (byte) (i * 31 + size);
            }
            binary.add(event);
        }
        List<byte[]> json = List.of("{\"t\":\"velocity\",\"id\":1}".getBytes(StandardCharsets.UTF_8),
                ("{\"t\":\"destroyed\",\"id\":2,\"pad\":\"" + "x".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8));
        byte[] raw = wireBytes(true, binary, json);
        byte[] encoded = wireBytes(false, binary, json);
        assertThat(raw).hasSizeGreaterThan(binary.stream().mapToInt(b -> b.length).sum() * 2);
        assertThat(raw).isEqualTo(encoded);
    }

    @Test
    void aBacklogLeavesInFramesOfAtMostMaxBatchBytesInOrder() {
        EmbeddedChannel big = new EmbeddedChannel();
        try {
            Outbox roomy = new Outbox(big, 1 << 20, 0, IGNORED);
            for (int i = 1; i <= 1000; i++) { // 25,000 bytes
                roomy.event(velocity(i, i), true, i, true);
            }
            big.runPendingTasks();
            List<Integer> sizes = new ArrayList<>();
            List<ServerMessage.DeltaEvent> events = new ArrayList<>();
            for (Object o = big.readOutbound(); o != null; o = big.readOutbound()) {
                BinaryWebSocketFrame frame = (BinaryWebSocketFrame) o;
                sizes.add(frame.content().readableBytes());
                events.addAll(BinaryCodec.decodeServerFrame(frame.content().nioBuffer()));
                frame.release();
            }
            assertThat(sizes).hasSize(2).allMatch(size -> size < Outbox.MAX_BATCH_BYTES);
            assertThat(events).extracting(ServerMessage.DeltaEvent::id)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList());
        } finally {
            big.finishAndReleaseAll();
        }
    }

    @Test
    void jsonEventsOfOneFlushLeaveAsOneArray() {
        outbox.event("{\"t\":\"destroyed\",\"id\":1,\"s\":1}".getBytes(StandardCharsets.UTF_8), false, 1, false);
        outbox.event("{\"t\":\"destroyed\",\"id\":2,\"s\":1}".getBytes(StandardCharsets.UTF_8), false, 2, false);
        channel.runPendingTasks();
        TextWebSocketFrame frame = channel.readOutbound();
        assertThat(frame.text()).isEqualTo("[{\"t\":\"destroyed\",\"id\":1,\"s\":1},{\"t\":\"destroyed\",\"id\":2,\"s\":1}]");
        frame.release();
    }

    @Test
    void aCongestedReaderKeepsOnlyTheLatestVelocityPerEntityAndEveryAppeared() {
        congest(true);
        outbox.event(appeared(7), true, 7, false);
        for (int i = 1; i <= 20; i++) {
            outbox.event(velocity(7, i), true, 7, true);
            outbox.event(velocity(8, 100 + i), true, 8, true);
        }
        outbox.event(appeared(9), true, 9, false);
        List<Integer> frames = new ArrayList<>();
        assertThat(written(frames)).as("nothing is written while the channel is not writable").isEmpty();
        assertThat(coalesced.get()).isEqualTo(38);
        assertThat(outbox.pendingBytes()).isEqualTo(2 * 35 + 2 * 25);

        congest(false);
        outbox.resume();
        List<ServerMessage.DeltaEvent> events = written(frames);
        assertThat(events).extracting(ServerMessage.DeltaEvent::type)
                .containsExactly("appeared", "velocity", "velocity", "appeared");
        assertThat(events.get(1)).isEqualTo(new ServerMessage.Velocity(7, 20, 0, 0, 0, 1));
        assertThat(events.get(2)).isEqualTo(new ServerMessage.Velocity(8, 120, 0, 0, 0, 1));
        assertThat(overflows.get()).isZero();
    }

    @Test
    void eventsThatCannotBeDroppedOverflowTheCapAndCloseWith1013() {
        congest(true);
        for (int id = 1; id <= 40 && overflows.get() == 0; id++) {
            outbox.event(appeared(id), true, id, false);
        }
        assertThat(overflows.get()).as("29 appeared of 35 bytes exceed 1000 bytes").isEqualTo(1);
        assertThat(outbox.pendingBytes()).as("the one that would pass the cap is refused, not queued").isEqualTo(28 * 35);
        outbox.event(appeared(99), true, 99, false); // ignored once closing
        channel.runPendingTasks();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1013);
        close.release();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void coalescingLeavesNothingBehindEvenBehindAnEventThatCannotBeDropped() {
        congest(true);
        outbox.event(appeared(1), true, 1, false);
        for (int i = 1; i <= 1000; i++) {
            outbox.event(velocity(2, i), true, 2, true);
        }
        assertThat(coalesced.get()).isEqualTo(999);
        assertThat(outbox.queuedItems()).as("the appeared and one velocity").isEqualTo(2);
        assertThat(outbox.pendingBytes()).isEqualTo(35 + 25);

        congest(false);
        outbox.resume();
        assertThat(written(new ArrayList<>())).containsExactly(
                new ServerMessage.Appeared(1, 1, 1, 0, 0, 0, 0, 1, 0), new ServerMessage.Velocity(2, 1000, 0, 0, 0, 1));
    }

    @Test
    void aLaterStateNeverOvertakesAnotherEventOfItsEntity() {
        congest(true);
        outbox.event(velocity(7, 1), true, 7, true);
        outbox.event(appeared(7), true, 7, false); // e.g. shown again after a hidden
        outbox.event(velocity(7, 2), true, 7, true);
        outbox.event(velocity(7, 3), true, 7, true);
        assertThat(coalesced.get()).as("only 3 replaces 2").isEqualTo(1);

        congest(false);
        outbox.event(velocity(7, 4), true, 7, true); // writable again, not yet flushed: queued after 3
        congest(true);
        outbox.event(velocity(7, 5), true, 7, true); // must not replace 3, which is ahead of 4
        congest(false);
        outbox.resume();
        List<ServerMessage.DeltaEvent> events = written(new ArrayList<>());
        assertThat(events).extracting(ServerMessage.DeltaEvent::type)
                .containsExactly("velocity", "appeared", "velocity", "velocity", "velocity");
        assertThat(events).filteredOn(e -> e instanceof ServerMessage.Velocity)
                .extracting(e -> ((ServerMessage.Velocity) e).x()).containsExactly(1f, 3f, 4f, 5f);
    }

    @Test
    void aReaderThatIsNotCongestedGetsEveryState() {
        for (int i = 1; i <= 30; i++) { // 750 bytes, under the cap of 1000
            outbox.event(velocity(7, i), true, 7, true);
        }
        assertThat(written(new ArrayList<>())).hasSize(30);
        assertThat(coalesced.get()).isZero();
    }

    @Test
    void closeNowDropsWhatIsQueuedAndWritesOneCloseFrame() {
        congest(true);
        outbox.event(appeared(1), true, 1, false);
        outbox.closeNow(1013, "too slow");
        outbox.closeNow(1008, "again");
        channel.runPendingTasks();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1013);
        close.release();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(outbox.pendingBytes()).isZero();
        assertThat(outbox.closeCode()).isEqualTo(1013);
    }

    @Test
    void controlMessagesKeepTheirPlaceBetweenEvents() {
        outbox.event(appeared(1), true, 1, false);
        outbox.control("{\"t\":\"left\",\"p\":3}".getBytes(StandardCharsets.UTF_8));
        outbox.event(velocity(1, 5), true, 1, true);
        channel.runPendingTasks();
        List<String> kinds = new ArrayList<>();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            WebSocketFrame frame = (WebSocketFrame) o;
            kinds.add(frame instanceof TextWebSocketFrame t ? t.text() : "binary:" + ByteBufUtil.hexDump(frame.content()).substring(0, 2));
            frame.release();
        }
        assertThat(kinds).containsExactly("binary:01", "{\"t\":\"left\",\"p\":3}", "binary:02");
    }


    @Test
    void aFlushIntervalHoldsEventsBackSoThatMoreShareAWrite() {
        EmbeddedChannel slow = new EmbeddedChannel();
        try {
            Outbox batched = new Outbox(slow, 1000, 20_000, IGNORED);
            batched.event(velocity(1, 1), true, 1, true);
            slow.runPendingTasks();
            assertThat((Object) slow.readOutbound()).as("nothing before the interval").isNull();
            batched.event(velocity(2, 2), true, 2, true);
            slow.advanceTimeBy(20, java.util.concurrent.TimeUnit.MILLISECONDS);
            slow.runScheduledPendingTasks();
            BinaryWebSocketFrame frame = slow.readOutbound();
            assertThat(BinaryCodec.decodeServerFrame(frame.content().nioBuffer())).hasSize(2);
            frame.release();
        } finally {
            slow.finishAndReleaseAll();
        }
    }

    @Test
    void aPongWaitsOnlyForTheLatestPingAndIsDroppedWhileTheChannelIsNotWritable() {
        outbox.pong(new byte[] {1});
        outbox.pong(new byte[] {2}); // replaces the unwritten answer (RFC 6455 5.5.3)
        channel.runPendingTasks();
        io.netty.handler.codec.http.websocketx.PongWebSocketFrame pong = channel.readOutbound();
        assertThat(ByteBufUtil.getBytes(pong.content())).containsExactly(2);
        pong.release();
        assertThat((Object) channel.readOutbound()).isNull();

        congest(true);
        for (int i = 0; i < 1000; i++) {
            outbox.pong(new byte[125]);
            outbox.ping();
        }
        congest(false);
        outbox.resume();
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).as("nothing was kept for a reader that was not reading").isNull();
        assertThat(outbox.pendingBytes()).isZero();
    }

    @Test
    void aServerPingIsWrittenWhenTheChannelIsWritable() {
        outbox.ping();
        channel.runPendingTasks();
        WebSocketFrame ping = channel.readOutbound();
        assertThat(ping).isInstanceOf(io.netty.handler.codec.http.websocketx.PingWebSocketFrame.class);
        ping.release();
    }

    @Test
    void aWelcomeCountsInTheWelcomeBudgetUntilWrittenAndOnePastItClosesWith1013() {
        EmbeddedChannel roomy = new EmbeddedChannel();
        AtomicInteger refused = new AtomicInteger();
        WelcomeBudget budget = new WelcomeBudget(5000);
        Outbox.Owner owner = new Outbox.Owner() {
            @Override
            public void overflowed() {
            }

            @Override
            public void coalesced() {
            }

            @Override
            public void written(int bytes) {
            }

            @Override
            public void welcomeRefused() {
                refused.incrementAndGet();
            }
        };
        try {
            Outbox first = new Outbox(roomy, 1000, 0, owner, budget, 2000);
            first.snapshot(new byte[3000]); // larger than the 1000-byte cap: still written
            roomy.runPendingTasks();
            assertThat(refused.get()).isZero();
            assertThat(budget.inFlight()).as("EmbeddedChannel completes writes at once").isZero();
            ((WebSocketFrame) roomy.readOutbound()).release();

            assertThat(budget.tryTake(3000)).isTrue(); // another welcome still in flight elsewhere
            Outbox second = new Outbox(roomy, 1000, 0, owner, budget, 2000);
            second.snapshot(new byte[3000]);
            roomy.runPendingTasks();
            assertThat(refused.get()).isEqualTo(1);
            assertThat(budget.inFlight()).isEqualTo(3000);
            assertThat((Object) roomy.readOutbound()).isNull();
        } finally {
            roomy.finishAndReleaseAll();
        }
    }

    @Test
    void aCloseThatCannotBeWrittenInTimeDropsWhatIsQueued() {
        congest(true);
        outbox.event(appeared(1), true, 1, false);
        outbox.close(1001, "going away");
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).as("the close waits behind the queued event").isNull();
        channel.advanceTimeBy(Outbox.DEFAULT_CLOSE_TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1001);
        close.release();
        assertThat(outbox.pendingBytes()).isZero();
    }
}
