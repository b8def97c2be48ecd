package dev.universerelay.transport;

import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.netty.channel.ChannelOutboundBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * What the server holds for one connection, read from the outside of the transport package (the
 * attack tests' yardstick for bounded memory): found by the subject of its token.
 */
public final class ConnectionProbe {
    private final Connection connection;

    private ConnectionProbe(Connection connection) {
        this.connection = connection;
    }

    /** Waits until the connection of {@code subject} has joined, and returns its probe. */
    public static ConnectionProbe of(ApplicationContext context, String subject) {
        ConnectionIndex connections = context.getBean(ConnectionIndex.class);
        return new ConnectionProbe(await().atMost(Duration.ofSeconds(10)).until(() -> StreamSupport.stream(connections.all().spliterator(), false)
                .filter(c -> c.player != null && subject.equals(c.player.identity().subject())).findFirst(),
                Optional::isPresent).orElseThrow());
    }

    /** Bytes queued in the outbox and not yet handed to Netty. */
    public int pendingBytes() {
        return connection.outbox.pendingBytes();
    }

    /** Bytes in Netty's outbound buffer (handed over, not yet taken by the socket). */
    public long nettyBytes() {
        ChannelOutboundBuffer buffer = connection.channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Netty's high water mark of this channel: past it, it is not writable. */
    public int highWaterMark() {
        return connection.channel.config().getWriteBufferHighWaterMark();
    }

    /** The code the server closed (or is closing) it with; -1 while open. */
    public int closeCode() {
        return connection.outbox.closeCode();
    }

    /** Waits until the server has closed (or is closing) it, and returns the close code. */
    public int awaitCloseCode() {
        await().atMost(Duration.ofSeconds(10)).until(() -> closeCode() >= 0);
        return closeCode();
    }

    /** The event loop serving the connection (its socket's reads and writes, its outbox). */
    public io.netty.channel.EventLoop loop() {
        return connection.channel.eventLoop();
    }

    /** The connection's channel (package-private: for the transport package's own tests). */
    io.netty.channel.Channel connectionChannel() {
        return connection.channel;
    }

    /** Frames its outbox sent straight to the socket (package-private: for the transport package's own tests). */
    int directSends() {
        return connection.outbox.directSends();
    }

    public boolean isOpen() {
        return connection.channel.isActive();
    }

    /** Welcome bytes the node holds right now (queued or in Netty's buffers). */
    public static long welcomeBytesInFlight(ApplicationContext context) {
        return context.getBean(WelcomeBudget.class).inFlight();
    }

    /**
     * Accepted connections from {@code address} that have not upgraded yet, as the node counts them.
     * A client's {@code connect()} returns once the kernel has the connection, before the server's
     * event loop has seen it: tests that rely on the count wait for it here.
     */
    public static int pendingFrom(ApplicationContext context, String address) {
        return context.getBean(PendingConnections.class).pending(address);
    }

    /** Open relay connections of the node. */
    public static int connections(ApplicationContext context) {
        return context.getBean(ConnectionIndex.class).size();
    }
}
