package dev.universerelay.transport;

import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.universe.Fanout;
import dev.universerelay.universe.PlayerLink;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;

/**
 * Fans a message out to its recipients: encodes it once per wire format ({@link Outgoing}) and puts the
 * same bytes in every recipient's outbox. Outboxes belong to event loops ({@link Outbox}); each loop gets
 * its part of the fan-out as one task (the calling thread's own loop too, so that the order of the
 * universe's lock is kept everywhere, see {@link #deliver}), so a move to 19 players costs each loop one
 * hand-over and at most one wake-up, not one per recipient. Everything then leaves at the end of that
 * loop's turn ({@link LoopFlusher}).
 *
 * <p>The domain hands over {@link PlayerLink}s; each link comes back here through
 * {@link #deliver(Connection, ServerMessage)} (the link knows what it is, the fan-out does not need to
 * ask), which finds the fan-out in progress on this thread and shares its encoding. A message sent to
 * one link alone, outside a fan-out, is encoded for it and delivered the same way.
 */
@Singleton
final class WireFanout implements Fanout {
    private final RelayMetrics metrics;
    /** The fan-out in progress on each thread (universes fan out while holding their lock, on any thread). */
    private final FastThreadLocal<InProgress> inProgress = new FastThreadLocal<>() {
        @Override
        protected InProgress initialValue() {
            return new InProgress();
        }
    };

    WireFanout(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void send(ServerMessage message, List<PlayerLink> recipients) {
        InProgress fanout = inProgress.get();
        if (fanout.message != null) { // a fan-out started from inside another: each link on its own
            for (int i = 0; i < recipients.size(); i++) {
                recipients.get(i).send(message);
            }
            return;
        }
        fanout.start(new Outgoing(message), recipients.size());
        try {
            for (int i = 0; i < recipients.size(); i++) {
                recipients.get(i).send(message);
            }
        } finally {
            fanout.finish();
        }
        metrics.sent(message, recipients.size());
    }

    /**
     * Puts the message in the connection's outbox: the link's half of {@link #send}, and a message for
     * one link. Always as a task of the outbox's event loop, even from that loop: tasks run in the order
     * they were handed over, which is the order of the universe's lock they were made under, so no event
     * overtakes one fanned out earlier from another thread (an entity's events stay in order, a
     * {@code destroyed} comes before its player's {@code left}, a close after what was sent before it).
     */
    void deliver(Connection connection, ServerMessage message) {
        if (connection.outbox.isClosing()) {
            return; // what is sent after the decision to close is dropped
        }
        InProgress fanout = inProgress.get();
        Outgoing outgoing = fanout.of(message);
        outgoing = outgoing != null ? outgoing : new Single(message, metrics).outgoing;
        if (outgoing.delivery == Outgoing.Delivery.EVENT) {
            connection.traffic.eventOut();
        }
        outgoing.bytes(connection.wire); // encoded here, before another thread sees it
        if (outgoing == fanout.outgoing) {
            fanout.handOver(connection.outbox.loop(), connection);
        } else {
            Outgoing single = outgoing;
            connection.outbox.loop().execute(() -> single.into(connection.outbox, connection.wire));
        }
    }

    /** A message for one link outside a fan-out, counted as sent once. */
    private record Single(Outgoing outgoing) {
        Single(ServerMessage message, RelayMetrics metrics) {
            this(new Outgoing(message));
            metrics.sent(message, 1);
        }
    }

    /** One thread's fan-out in progress: the message and, per event loop, the connections it goes to there. */
    private static final class InProgress {
        ServerMessage message;
        Outgoing outgoing;
        private Batch[] batches = new Batch[4];
        private int loops;

        /** With universe affinity, usually all recipients are on one loop: its batch is sized for them at once. */
        private int expected;

        void start(Outgoing outgoing, int recipients) {
            this.outgoing = outgoing;
            this.message = outgoing.message;
            this.expected = recipients;
        }

        Outgoing of(ServerMessage candidate) {
            return candidate == message ? outgoing : null;
        }

        void handOver(EventLoop loop, Connection connection) {
            for (int i = 0; i < loops; i++) {
                if (batches[i].loop == loop) {
                    batches[i].add(connection);
                    return;
                }
            }
            if (loops == batches.length) {
                batches = Arrays.copyOf(batches, loops * 2);
            }
            Batch batch = new Batch(loop, outgoing, expected);
            batch.add(connection);
            batches[loops++] = batch;
        }

        /** Hands each loop its part, one task per loop. */
        void finish() {
            try {
                for (int i = 0; i < loops; i++) {
                    batches[i].loop.execute(batches[i]);
                    batches[i] = null;
                }
            } finally {
                loops = 0;
                message = null;
                outgoing = null;
            }
        }
    }

    /** The part of one fan-out that belongs to one event loop: run there, as one task. */
    private static final class Batch implements Runnable {
        final EventLoop loop;
        private final Outgoing outgoing;
        private Connection[] connections;
        private int size;

        Batch(EventLoop loop, Outgoing outgoing, int expected) {
            this.loop = loop;
            this.outgoing = outgoing;
            this.connections = new Connection[Math.max(1, expected)];
        }

        void add(Connection connection) {
            if (size == connections.length) {
                connections = Arrays.copyOf(connections, size * 2);
            }
            connections[size++] = connection;
        }

        @Override
        public void run() {
            for (int i = 0; i < size; i++) {
                Connection connection = connections[i];
                outgoing.into(connection.outbox, connection.wire);
            }
        }
    }
}
