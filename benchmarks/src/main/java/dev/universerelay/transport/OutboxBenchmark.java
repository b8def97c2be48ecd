package dev.universerelay.transport;

import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.JsonCodec;
import dev.universerelay.protocol.ServerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One recipient's side of a fan-out: {@code events} already-encoded events queued in one
 * connection's {@link Outbox}, then one flush that batches them into a frame, through Netty's
 * WebSocket frame encoder, on an {@link EmbeddedChannel} (no socket). Lives in the transport's
 * package because the outbox is package-private. {@code events} = 1 is the common case at load A
 * (about 1.4 events per socket write), 8 a loaded server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutboxBenchmark {

    @Param({"1", "8"})
    public int events;

    @Param({"bin", "json"})
    public String wire;

    private EmbeddedChannel channel;
    private Outbox outbox;
    private byte[] event;
    private boolean binary;
    private long bytesOut;

    @Setup(Level.Trial)
    public void setUp() {
        binary = "bin".equals(wire);
        ServerMessage.Velocity velocity = new ServerMessage.Velocity(42, 1234.5f, -99.25f, 120f, -3.5f, 1_700_000_000_000L);
        event = binary ? BinaryCodec.encode(velocity) : JsonCodec.encode(velocity);
        channel = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        outbox = new Outbox(channel, 1 << 20, 0, new Outbox.Owner() {
            @Override
            public void overflowed() {
                throw new IllegalStateException("overflow");
            }

            @Override
            public void coalesced() {
            }

            @Override
            public void written(int bytes) {
            }
        });
    }

    @Benchmark
    public long enqueueAndFlush() {
        for (int i = 0; i < events; i++) {
            outbox.event(event, binary, i, true);
        }
        channel.runPendingTasks();
        long bytes = 0;
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) o;
            bytes += buf.readableBytes();
            buf.release();
        }
        bytesOut += bytes;
        return bytes;
    }

    @TearDown(Level.Trial)
    public void check() {
        if (bytesOut == 0 || outbox.pendingBytes() != 0) {
            throw new IllegalStateException("nothing written, or left queued: " + outbox);
        }
        channel.finishAndReleaseAll();
    }
}
