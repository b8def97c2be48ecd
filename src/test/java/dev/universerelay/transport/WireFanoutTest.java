package dev.universerelay.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.limits.AbuseDetector;
import dev.universerelay.limits.Refusals;
import dev.universerelay.limits.TokenBucket;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.universe.PlayerLink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fan-out across event loops, on real channels (Netty's in-process transport) served by two event
 * loops: a message fanned out from any thread reaches every recipient, in order, encoded once; and
 * what one turn of a loop queues for a connection leaves in one frame.
 */
class WireFanoutTest {
    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final DefaultEventLoopGroup clientLoop = new DefaultEventLoopGroup(1);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RelayMetrics metrics = new RelayMetrics(registry);
    private final WireFanout fanout = new WireFanout(metrics);
    private final LoopFlushers flushers = new LoopFlushers(0);
    private final List<Connection> connections = new ArrayList<>();
    /** What each client received, frame by frame. */
    private final List<BlockingQueue<WebSocketFrame>> received = new ArrayList<>();
    private Channel server;
    private final List<Channel> clients = new ArrayList<>();

    @BeforeEach
    void serve() throws Exception {
        LocalAddress address = new LocalAddress("fanout-" + System.nanoTime());
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        server = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        accepted.add(ch);
                    }
                }).bind(address).sync().channel();
        for (int i = 0; i < 6; i++) {
            BlockingQueue<WebSocketFrame> frames = new LinkedBlockingQueue<>();
            received.add(frames);
            clients.add(new Bootstrap().group(clientLoop).channel(LocalChannel.class).handler(new SimpleChannelInboundHandler<WebSocketFrame>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                    frames.add(frame.retain());
                }
            }).connect(address).sync().channel());
            Channel serverSide = accepted.poll(10, TimeUnit.SECONDS);
            WireFormat wire = i < 4 ? WireFormat.BINARY : WireFormat.JSON;
            connections.add(new Connection(serverSide, wire, "127.0.0.1", 1 << 20, flushers, fanout,
                    new TokenBucket(100, 100, System.nanoTime()), new AbuseDetector(100, 10_000), metrics,
                    new Refusals(metrics), WelcomeBudget.UNLIMITED, 2000, true));
        }
        assertThat(connections.stream().map(c -> c.channel.eventLoop()).distinct().count()).as("connections on both loops")
                .isEqualTo(2);
        assertThat(connections.subList(0, 4).stream().map(c -> c.channel.eventLoop()).distinct().count())
                .as("binary connections on both loops").isEqualTo(2);
    }

    @AfterEach
    void stop() throws Exception {
        for (Channel client : clients) {
            client.close().sync();
        }
        server.close().sync();
        for (BlockingQueue<WebSocketFrame> frames : received) {
            frames.forEach(WebSocketFrame::release);
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private List<PlayerLink> everyone() {
        return Collections.unmodifiableList(new ArrayList<>(connections));
    }

    private static ServerMessage.Velocity velocity(long id, float x) {
        return new ServerMessage.Velocity(id, x, 0, 0, 0, 1);
    }

    /** The binary events client {@code i} received, in order, waiting until there are {@code count}. */
    private List<ServerMessage.DeltaEvent> binaryEvents(int i, int count) {
        return binaryEvents(i, count, new ArrayList<>());
    }

    /** As {@link #binaryEvents(int, int)}, adding the number of events of each frame to {@code frames}. */
    private List<ServerMessage.DeltaEvent> binaryEvents(int i, int count, List<Integer> frames) {
        List<ServerMessage.DeltaEvent> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (WebSocketFrame frame = received.get(i).poll(); frame != null; frame = received.get(i).poll()) {
                assertThat(frame).isInstanceOf(BinaryWebSocketFrame.class);
                List<ServerMessage.DeltaEvent> inFrame = BinaryCodec.decodeServerFrame(frame.content().nioBuffer());
                frames.add(inFrame.size());
                events.addAll(inFrame);
                frame.release();
            }
            return events.size() >= count;
        });
        return events;
    }

    @Test
    void aFanOutFromAnyThreadReachesEveryConnectionOnEveryLoopInOrder() {
        for (int i = 1; i <= 50; i++) {
            fanout.send(velocity(7, i), everyone());
        }
        for (int c = 0; c < 4; c++) {
            assertThat(binaryEvents(c, 50)).extracting(e -> (long) ((ServerMessage.Velocity) e).x())
                    .as("connection %d", c).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        }
        for (int c = 4; c < 6; c++) {
            StringBuilder json = new StringBuilder();
            int client = c;
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (WebSocketFrame frame = received.get(client).poll(); frame != null; frame = received.get(client).poll()) {
                    json.append(((TextWebSocketFrame) frame).text());
                    frame.release();
                }
                return json.toString().contains("\"x\":50");
            });
            assertThat(json.toString()).contains("\"x\":1,").doesNotContain("\"x\":51");
        }
        assertThat(registry.get("relay.messages.sent").tag("type", "velocity").counter().count())
                .as("counted once per recipient").isEqualTo(50 * 6);
    }

    @Test
    void whatOneTurnOfALoopQueuesForAConnectionLeavesInOneFrame() throws Exception {
        EventLoop loop = connections.get(0).channel.eventLoop();
        List<PlayerLink> sameLoop = new ArrayList<>();
        for (Connection c : connections.subList(0, 4)) {
            if (c.channel.eventLoop() == loop) {
                sameLoop.add(c);
            }
        }
        loop.submit(() -> { // five moves handled in one turn of the loop, as five reads of one batch would be
            for (int i = 1; i <= 5; i++) {
                fanout.send(velocity(3, i), sameLoop);
            }
        }).sync();
        List<Integer> frames = new ArrayList<>();
        // the turn's frame is written at the end of that turn, which sync() does not wait for:
        // receive it before sending from a later turn, or the send could join the same turn
        List<ServerMessage.DeltaEvent> events = new ArrayList<>(binaryEvents(0, 5, frames));
        fanout.send(velocity(3, 6), sameLoop); // a later turn: a frame of its own
        events.addAll(binaryEvents(0, 1, frames));
        assertThat(events).extracting(e -> (long) ((ServerMessage.Velocity) e).x())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(frames).containsExactly(5, 1);
    }

    @Test
    void anEventMadeOnALoopNeverOvertakesOneHandedToThatLoopEarlierFromAnotherThread() throws Exception {
        Connection target = connections.get(0);
        EventLoop loop = target.channel.eventLoop();
        java.util.concurrent.CountDownLatch handedOver = new java.util.concurrent.CountDownLatch(1);
        io.netty.util.concurrent.Future<?> onLoop = loop.submit(() -> {
            handedOver.await(10, TimeUnit.SECONDS); // the loop is busy while another thread fans out 1
            fanout.send(velocity(5, 2), List.of(target)); // then the loop itself fans out 2, as a move it read would
            return null;
        });
        fanout.send(velocity(5, 1), List.of(target));
        handedOver.countDown();
        onLoop.sync();
        assertThat(binaryEvents(0, 2)).extracting(e -> (long) ((ServerMessage.Velocity) e).x()).containsExactly(1L, 2L);
    }

    @Test
    void aCloseDecidedOnTheLoopComesAfterWhatWasSentBeforeIt() throws Exception {
        Connection target = connections.get(0);
        target.channel.eventLoop().submit(() -> {
            target.send(new ServerMessage.Left(9));
            target.close(4000, "bye");
        }).sync();
        StringBuilder seen = new StringBuilder();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (WebSocketFrame frame = received.get(0).poll(); frame != null; frame = received.get(0).poll()) {
                seen.append(frame instanceof TextWebSocketFrame text ? text.text() : frame.getClass().getSimpleName()).append(' ');
                frame.release();
            }
            return seen.toString().contains("CloseWebSocketFrame");
        });
        assertThat(seen.toString()).startsWith("{\"t\":\"left\"").endsWith("CloseWebSocketFrame ");
    }
}
