package dev.universerelay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.ServerMessage;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
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
    private final Outbox outbox = new Outbox(channel, 1000, 0, () -> {
        overflows.incrementAndGet();
        outboxClose();
    }, coalesced::incrementAndGet, written::addAndGet);

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
        outbox.event(appeared(1), true, Outbox.NOT_A_VELOCITY);
        outbox.event(velocity(1, 1), true, 1);
        outbox.event(velocity(2, 2), true, 2);
        List<Integer> frames = new ArrayList<>();
        assertThat(written(frames)).extracting(ServerMessage.DeltaEvent::type).containsExactly("appeared", "velocity", "velocity");
        assertThat(frames).hasSize(1);
        assertThat(outbox.pendingBytes()).isZero();
        assertThat(written.get()).isEqualTo(35 + 25 + 25);
    }

    @Test
    void jsonEventsOfOneFlushLeaveAsOneArray() {
        outbox.event("{\"t\":\"destroyed\",\"id\":1,\"s\":1}".getBytes(StandardCharsets.UTF_8), false, Outbox.NOT_A_VELOCITY);
        outbox.event("{\"t\":\"destroyed\",\"id\":2,\"s\":1}".getBytes(StandardCharsets.UTF_8), false, Outbox.NOT_A_VELOCITY);
        channel.runPendingTasks();
        TextWebSocketFrame frame = channel.readOutbound();
        assertThat(frame.text()).isEqualTo("[{\"t\":\"destroyed\",\"id\":1,\"s\":1},{\"t\":\"destroyed\",\"id\":2,\"s\":1}]");
        frame.release();
    }

    @Test
    void aCongestedReaderKeepsOnlyTheLatestVelocityPerEntityAndEveryAppeared() {
        congest(true);
        outbox.event(appeared(7), true, Outbox.NOT_A_VELOCITY);
        for (int i = 1; i <= 20; i++) {
            outbox.event(velocity(7, i), true, 7);
            outbox.event(velocity(8, 100 + i), true, 8);
        }
        outbox.event(appeared(9), true, Outbox.NOT_A_VELOCITY);
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
            outbox.event(appeared(id), true, Outbox.NOT_A_VELOCITY);
        }
        assertThat(overflows.get()).as("29 appeared of 35 bytes exceed 1000 bytes").isEqualTo(1);
        outbox.event(appeared(99), true, Outbox.NOT_A_VELOCITY); // ignored once closing
        channel.runPendingTasks();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1013);
        close.release();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void controlMessagesKeepTheirPlaceBetweenEvents() {
        outbox.event(appeared(1), true, Outbox.NOT_A_VELOCITY);
        outbox.control("{\"t\":\"left\",\"p\":3}".getBytes(StandardCharsets.UTF_8));
        outbox.event(velocity(1, 5), true, 1);
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
            Outbox batched = new Outbox(slow, 1000, 20_000, () -> { }, () -> { }, bytes -> { });
            batched.event(velocity(1, 1), true, 1);
            slow.runPendingTasks();
            assertThat((Object) slow.readOutbound()).as("nothing before the interval").isNull();
            batched.event(velocity(2, 2), true, 2);
            slow.advanceTimeBy(20, java.util.concurrent.TimeUnit.MILLISECONDS);
            slow.runScheduledPendingTasks();
            BinaryWebSocketFrame frame = slow.readOutbound();
            assertThat(BinaryCodec.decodeServerFrame(frame.content().nioBuffer())).hasSize(2);
            frame.release();
        } finally {
            slow.finishAndReleaseAll();
        }
    }
}
