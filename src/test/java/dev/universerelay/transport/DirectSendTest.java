package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Frames for a reader Netty holds nothing for go straight to its socket (DirectSend), arrive whole
 * and in order; a socket whose pipeline has a handler that must see the outgoing bytes (TLS, say)
 * never gets them that way.
 */
@MicronautTest
class DirectSendTest {
    private static final int MOVES = 40; // within one connection's burst of messages (60)

    @Inject
    Relay relay;

    /** Moves one at a time, each awaited by the watcher: one frame per event, the light-load case. */
    private static void moveAndAwait(RelayTestClient mover, long ship, RelayTestClient watcher) {
        for (int i = 1; i <= MOVES; i++) {
            mover.send(new ClientMessage.Move(ship, i, 0, 0, 0));
            int x = i;
            watcher.awaitMessage(m -> "velocity".equals(m.get("t")) && RelayTestClient.number(m, "id") == ship
                    && RelayTestClient.decimal(m, "x") == x);
        }
    }

    @Test
    void framesForAnIdleReaderGoStraightToItsSocketWholeAndInOrder() {
        RelayTestClient bob = relay.joinAs("direct", "bob", BIN);
        RelayTestClient cy = relay.joinAs("direct", "cy", JSON);
        RelayTestClient ada = relay.joinAs("direct", "ada", BIN);
        long ship = ada.spawn(1, 0, 0, 0, 0);
        bob.awaitEvent("appeared", ship);
        cy.awaitEvent("appeared", ship);
        moveAndAwait(ada, ship, bob);
        cy.awaitMessage(m -> "velocity".equals(m.get("t")) && RelayTestClient.decimal(m, "x") == MOVES);

        for (RelayTestClient reader : List.of(bob, cy)) {
            List<Double> xs = reader.receivedOfType("velocity").stream().map(m -> RelayTestClient.decimal(m, "x")).toList();
            assertThat(xs).as("every move, in order").isEqualTo(java.util.stream.IntStream.rangeClosed(1, MOVES)
                    .mapToObj(i -> (double) i).toList());
        }
        ConnectionProbe bobs = relay.probe("bob");
        assertThat(bobs.connectionChannel()).isInstanceOf(EpollSocketChannel.class); // Linux: the server's native transport
        assertThat(bobs.directSends()).as("frames sent straight to the socket").isGreaterThanOrEqualTo(MOVES / 2);
        assertThat(relay.probe("cy").directSends()).isGreaterThanOrEqualTo(MOVES / 2);
        // and the socket still plays both ways
        long bobShip = bob.spawn(2, 1, 1, 0, 0);
        ada.awaitEvent("appeared", bobShip);
    }

    @Test
    void aSocketWithAHandlerThatMustSeeTheBytesGetsEveryFrameThroughIt() throws Exception {
        RelayTestClient dee = relay.joinAs("direct-tls", "dee", BIN);
        ConnectionProbe dees = relay.probe("dee");
        AtomicLong seen = new AtomicLong();
        // stands for TLS: an outbound handler between the socket and the frame encoder
        dees.loop().submit(() -> dees.connectionChannel().pipeline().addFirst("sees-bytes", new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                if (msg instanceof ByteBuf bytes) {
                    seen.addAndGet(bytes.readableBytes());
                }
                super.write(ctx, msg, promise);
            }
        })).get(10, TimeUnit.SECONDS);
        long before = seen.get();
        RelayTestClient eve = relay.joinAs("direct-tls", "eve", BIN);
        long ship = eve.spawn(1, 0, 0, 0, 0);
        dee.awaitEvent("appeared", ship);
        moveAndAwait(eve, ship, dee);

        assertThat(dees.directSends()).isZero();
        assertThat(seen.get() - before).as("every frame passed the handler").isGreaterThanOrEqualTo(MOVES * 10L);
    }

    @Test
    void onlyEpollSocketsWithNothingBeforeTheEncoderAllowIt() {
        EmbeddedChannel embedded = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        assertThat(DirectSend.allowed(embedded, embedded.pipeline().firstContext())).isFalse();
        embedded.finishAndReleaseAll();
    }
}
