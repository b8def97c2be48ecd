package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.decimal;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.limits.LimitsConfiguration;
import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.netty.channel.ChannelOutboundBuffer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol section 7 end to end: one client stops reading while 20 others play. Its velocities
 * are coalesced while it is congested, it is closed with 1013 once events that cannot be dropped
 * fill its queue past {@code relay.limits.max-pending-bytes}, what the server holds for it stays
 * bounded all along, and the 20 others get every move of every other player, in order.
 *
 * <p>The stalled client is a raw socket with a small receive buffer that never reads after the
 * handshake (the JDK client keeps reading into its own buffers). The rate limits are raised so
 * that no move is refused, and the idle timeout so that the stalled client, which never answers
 * a ping, is closed for being slow and not for being silent. The server's socket send buffer is
 * set small too, so that the reader congests after some 100 KiB rather than after megabytes of
 * kernel buffer. Nothing waits for a fixed time: the players move on a steady tick until the
 * server's counters show each phase has happened.
 */
@MicronautTest
@Property(name = "relay.limits.rate", value = "2000")
@Property(name = "relay.limits.burst", value = "4000")
@Property(name = "relay.limits.max-pending-bytes", value = "65536")
@Property(name = "relay.session.idle-timeout", value = "10m")
@Property(name = "micronaut.server.netty.child-options.so-sndbuf", value = "16384")
class SlowConsumerTest {
    private static final Logger LOG = LoggerFactory.getLogger(SlowConsumerTest.class);
    private static final String UNIVERSE = "slow-reader";
    private static final int PLAYERS = 20;
    /** Spawns per player in the second phase, under relay.limits.max-entities (64) with the first entity. */
    private static final int MAX_SPAWNS = 60;
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);

    @Inject
    Relay relay;
    @Inject
    ConnectionIndex connections;
    @Inject
    MeterRegistry meters;
    @Inject
    LimitsConfiguration limits;

    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicReference<Throwable> tickFailure = new AtomicReference<>();
    /** Player 0 spawns one entity in the next tick (all of a player's sends come from the tick thread). */
    private final AtomicBoolean spawnOnce = new AtomicBoolean();
    private volatile boolean spawning;

    /** Waits for a condition while the players play; fails at once if a tick failed. */
    private void awaitPhase(String phase, Callable<Boolean> reached) {
        await(phase).atMost(PHASE_TIMEOUT).until(() -> {
            Throwable failure = tickFailure.get();
            if (failure != null) {
                throw new AssertionError("a tick failed", failure);
            }
            return reached.call();
        });
    }

    private double coalesced() {
        Counter counter = meters.find("relay.events.coalesced").counter();
        return counter == null ? 0 : counter.count();
    }

    private double closed(int code) {
        Counter counter = meters.find("relay.closes").tag("code", Integer.toString(code)).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aReaderThatStopsIsCoalescedThenClosedWith1013WhileTwentyOthersGetEveryMoveInOrder() throws Exception {
        List<RelayTestClient> players = new ArrayList<>();
        long[] entity = new long[PLAYERS];
        for (int p = 0; p < PLAYERS; p++) {
            RelayTestClient player = relay.join(UNIVERSE, "player-" + p, BIN);
            players.add(player);
            entity[p] = player.spawn(1, 0, 0, 0, 0);
        }
        String stalledToken = TestTokens.token("stalled");
        ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
        try (RawWebSocket stalled = relay.neverReadingSocketWithToken(UNIVERSE, stalledToken)) {
            Connection slow = await().atMost(PHASE_TIMEOUT).until(() -> java.util.stream.StreamSupport.stream(connections.all().spliterator(), false)
                    .filter(c -> c.player != null && "stalled".equals(c.player.identity().subject())).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();

            // What the server holds for the stalled reader, sampled until it is gone.
            AtomicLong maxOutboxBytes = new AtomicLong();
            AtomicLong maxNettyBytes = new AtomicLong();
            AtomicLong maxOutboxItems = new AtomicLong();
            threads.scheduleAtFixedRate(() -> {
                maxOutboxBytes.accumulateAndGet(slow.outbox.pendingBytes(), Math::max);
                maxOutboxItems.accumulateAndGet(slow.outbox.queuedItems(), Math::max);
                ChannelOutboundBuffer netty = slow.channel.unsafe().outboundBuffer();
                if (netty != null) {
                    maxNettyBytes.accumulateAndGet(netty.totalPendingWriteBytes(), Math::max);
                }
            }, 0, 1, TimeUnit.MILLISECONDS);

            // Every 20 ms each player moves its entity to x = tick; in the second phase it also
            // spawns one entity a tick (an appeared, which is never dropped), 60 at most.
            AtomicInteger spawnTicks = new AtomicInteger();
            threads.scheduleAtFixedRate(() -> {
                try {
                    int tick = ticks.incrementAndGet();
                    boolean spawn = spawning && spawnTicks.get() < MAX_SPAWNS && spawnTicks.incrementAndGet() <= MAX_SPAWNS;
                    for (int p = 0; p < PLAYERS; p++) {
                        ClientMessage move = new ClientMessage.Move(entity[p], tick, p, 0, 0);
                        if (spawn || (p == 0 && spawnOnce.compareAndSet(true, false))) {
                            players.get(p).send(move, new ClientMessage.Spawn(1000 + tick, 2, p, p, 0, 0));
                        } else {
                            players.get(p).send(move);
                        }
                    }
                } catch (Throwable e) {
                    tickFailure.compareAndSet(null, e);
                    throw e;
                }
            }, 0, 20, TimeUnit.MILLISECONDS);

            // Phase 1: velocities, and once the reader is congested one appeared, which stays at
            // the head of its queue; the velocities queued behind it are coalesced (each entity's
            // newer state replacing the older one) and it stays open.
            awaitPhase("congested", () -> coalesced() > 0);
            spawnOnce.set(true);
            awaitPhase("coalescing", () -> coalesced() >= 100 * PLAYERS);
            assertThat(slow.outbox.isClosing()).as("coalescing alone keeps a slow reader's queue under the cap").isFalse();
            int congestedAt = ticks.get();

            // Phase 2: appeared events pile up until the cap closes it with 1013. The client starts
            // reading as soon as the server gave up on it, so that the close frame, which the
            // server writes behind what it had already queued, reaches it.
            AtomicLong drained = new AtomicLong();
            CompletableFuture<Integer> closeFrame = CompletableFuture.supplyAsync(() -> {
                await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(1)).until(slow.outbox::isClosing);
                try {
                    return stalled.readUntilClose(payload -> drained.addAndGet(payload.length));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            spawning = true;
            awaitPhase("closed with 1013", () -> closed(1013) >= 1);
            spawning = false;
            assertThat(slow.outbox.closeCode()).isEqualTo(1013);
            assertThat(closeFrame.get(30, TimeUnit.SECONDS)).as("close frame read after draining").isEqualTo(1013);
            int closedAt = ticks.get();
            // A few more ticks after the close, so that the others' completeness covers all phases.
            awaitPhase("after the close", () -> ticks.get() >= closedAt + 20);
            threads.shutdownNow();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            int last = ticks.get();
            LOG.info("slow reader: coalescing by tick {}, closed by tick {}, {} ticks; coalesced {}; max held for it:"
                            + " outbox {} bytes in at most {} items, Netty outbound buffer {} bytes; drained {} bytes before the close frame",
                    congestedAt, closedAt, last, coalesced(), maxOutboxBytes.get(), maxOutboxItems.get(), maxNettyBytes.get(),
                    drained.get());

            // Bounded: the outbox never held more than the cap, nor more items than the cap allows
            // (every JSON appeared or velocity is over 50 bytes: no dead entries were left behind by
            // coalescing), and Netty's buffer stayed near its high water mark (it is written to only
            // while the channel is writable, at most one batch past it).
            assertThat(maxOutboxBytes.get()).isPositive().isLessThanOrEqualTo(limits.maxPendingBytes());
            assertThat(maxOutboxItems.get()).isLessThanOrEqualTo(limits.maxPendingBytes() / 50L + 1);
            assertThat(maxNettyBytes.get()).isLessThanOrEqualTo(
                    (long) slow.channel.config().getWriteBufferHighWaterMark() + Outbox.MAX_BATCH_BYTES + 4096);

            // Complete and in order for everyone else: x = 1 .. last for every other player's entity.
            List<Integer> expected = IntStream.rangeClosed(1, last).boxed().toList();
            for (int r = 0; r < PLAYERS; r++) {
                RelayTestClient receiver = players.get(r);
                for (int s = 0; s < PLAYERS; s++) {
                    if (s == r) {
                        continue;
                    }
                    long id = entity[s];
                    receiver.awaitMessage(m -> "velocity".equals(m.get("t")) && number(m, "id") == id && decimal(m, "x") == last);
                    List<Integer> xs = receiver.received().stream()
                            .filter(m -> "velocity".equals(m.get("t")) && number(m, "id") == id)
                            .map(m -> (int) decimal(m, "x")).toList();
                    assertThat(xs).as("moves of player %d seen by player %d", s, r).isEqualTo(expected);
                }
                assertThat(receiver.isClosed()).isFalse();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
