package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The universe lock and the registry's map are never held across a call that may wait for the
 * shared store (docs/architecture.md, "Threads and locks"). The cluster here is a double that
 * records every such call made with the universe's lock held ({@link Replication#load},
 * {@link Replication#reserveEntityIds}, {@link Cluster#claim}), and that can make loading a
 * universe slow. Before this was so, a spawn took its id from Redis under the lock, and a
 * universe loaded its snapshot inside {@code ConcurrentHashMap.computeIfAbsent}, stalling every
 * universe whose name fell in the same bin of the map.
 */
class ClusterCallsOutsideLocksTest {
    static final UniverseSettings SETTINGS = new UniverseSettings(new LimitsInfo(30, 60, 50, 2000, 100_000), 0, 1000);

    final List<String> callsUnderLock = new CopyOnWriteArrayList<>();
    final Counts loads = new Counts();
    final CountDownLatch slowLoadMayEnd = new CountDownLatch(1);
    /** The names whose load waits for {@link #slowLoadMayEnd}. */
    final List<String> slow = new CopyOnWriteArrayList<>();
    final CountDownLatch slowLoadStarted = new CountDownLatch(1);
    /** Blocks of ids the double has handed out; a block is 2 ids, so spawns run out quickly. */
    final AtomicInteger blocks = new AtomicInteger();
    volatile boolean idsArrive = true;
    final List<Runnable> idsOnTheirWay = new CopyOnWriteArrayList<>();

    /** Loads per universe name. */
    static final class Counts extends ConcurrentHashMap<String, AtomicInteger> {
        int of(String name) {
            AtomicInteger n = get(name);
            return n == null ? 0 : n.get();
        }
    }

    final Cluster cluster = new Cluster() {
        @Override
        public Replication replicate(Universe universe) {
            return new CheckingReplication(universe);
        }

        @Override
        public Claim claim(String universe, PlayerIdentity identity, int maxPlayers) {
            return new Claim.Undecided(); // the universe numbers its players; which lock is held was checked by the caller
        }

        @Override
        public boolean isReady() {
            return true;
        }
    };

    /** A replication of blocks of two ids that notes every call that may wait made under the universe's lock. */
    final class CheckingReplication implements Replication {
        final Universe universe;
        long next;
        long last = -1;
        long aheadLast = -1;
        boolean reserving;

        CheckingReplication(Universe universe) {
            this.universe = universe;
        }

        private void mayWait(String call) {
            if (universe.lockHeldByCurrentThread()) {
                callsUnderLock.add(call + " of " + universe.name());
            }
        }

        @Override
        public void load() {
            mayWait("load");
            loads.computeIfAbsent(universe.name(), n -> new AtomicInteger()).incrementAndGet();
            if (slow.contains(universe.name())) {
                slowLoadStarted.countDown();
                try {
                    assertThat(slowLoadMayEnd.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            aheadLast = 2L * blocks.incrementAndGet();
        }

        @Override
        public synchronized long nextEntityId() {
            if (next > last) {
                if (aheadLast < 0) {
                    throw new IllegalStateException("no id reserved ahead");
                }
                last = aheadLast;
                next = aheadLast - 1;
                aheadLast = -1;
            }
            return next++;
        }

        @Override
        public void reserveEntityIds() {
            mayWait("reserveEntityIds");
            synchronized (this) {
                if (reserving || aheadLast >= 0 || next <= last) {
                    return;
                }
                reserving = true;
            }
            Runnable arrive = () -> {
                synchronized (this) {
                    aheadLast = 2L * blocks.incrementAndGet();
                    reserving = false;
                }
            };
            if (idsArrive) {
                arrive.run();
            } else {
                idsOnTheirWay.add(arrive);
            }
        }

        @Override
        public void publish(ReplicatedChange change) {
            // called under the lock by design: it only queues
        }

        @Override
        public void close() {
            // called under the lock by design: it only queues
        }
    }

    final UniverseRegistry registry = new UniverseRegistry(name -> new Universe(name, SETTINGS, () -> 1L, Fanout.EACH,
            () -> "token", InterestObserver.NONE, cluster), cluster);

    @AfterEach
    void letSlowLoadsEnd() {
        slowLoadMayEnd.countDown();
    }

    @Test
    void entityIdsAreReservedWithoutTheUniverseLock() {
        RecordingLink link = new RecordingLink("ada");
        UniverseRegistry.Entry ada = registry.join("alpha", UniverseTest.player("ada"), link);
        Player player = ((JoinResult.Entered) ada.result()).player();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // three blocks and more: every block but the first reserved after a spawn
            assertThat(ada.universe().apply(player, link, new ClientMessage.Spawn(i, 1, 0, 0, 0, 0))).isNull();
            ids.add(ada.universe().entities().get(i).id());
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(blocks.get()).isGreaterThanOrEqualTo(4);
        assertThat(callsUnderLock).isEmpty();
    }

    @Test
    void aSpawnThatFindsNoIdLeftIsRefusedAtOnceAndTheNextOneGetsTheBlockOnItsWay() {
        RecordingLink link = new RecordingLink("ada");
        UniverseRegistry.Entry ada = registry.join("alpha", UniverseTest.player("ada"), link);
        Player player = ((JoinResult.Entered) ada.result()).player();
        idsArrive = false;
        assertThat(ada.universe().apply(player, link, new ClientMessage.Spawn(1, 1, 0, 0, 0, 0))).isNull();
        assertThat(ada.universe().apply(player, link, new ClientMessage.Spawn(2, 1, 0, 0, 0, 0))).isNull();
        Rejection refused = ada.universe().apply(player, link, new ClientMessage.Spawn(3, 1, 0, 0, 0, 0));
        assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(refused.message()).contains("try again");
        assertThat(idsOnTheirWay).hasSize(1); // asked once, after the block ran low, not once per spawn
        idsOnTheirWay.forEach(Runnable::run);
        assertThat(ada.universe().apply(player, link, new ClientMessage.Spawn(4, 1, 0, 0, 0, 0))).isNull();
        assertThat(ada.universe().entities()).hasSize(3);
        assertThat(callsUnderLock).isEmpty();
    }

    @Test
    void joinsAndLeavesCallNothingThatMayWaitUnderTheLock() {
        RecordingLink ada = new RecordingLink("ada");
        UniverseRegistry.Entry entry = registry.join("alpha", UniverseTest.player("ada"), ada);
        registry.join("alpha", UniverseTest.player("bob"), new RecordingLink("bob"));
        registry.join("alpha", UniverseTest.spectatorIdentity("sam"), new RecordingLink("sam"));
        registry.disconnect(entry.universe(), ((JoinResult.Entered) entry.result()).player(), ada, true);
        registry.expireGrace();
        assertThat(loads.of("alpha")).isEqualTo(1);
        assertThat(callsUnderLock).isEmpty();
    }

    /** "Aa" and "BB" have the same hash code, so they share a bin of the registry's map. */
    @Test
    void aSlowLoadHoldsUpNoOtherUniverseNotEvenOneInTheSameBinOfTheMap() throws Exception {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        slow.add("Aa");
        CompletableFuture<UniverseRegistry.Entry> slowJoin = CompletableFuture.supplyAsync(
                () -> registry.join("Aa", UniverseTest.player("ada"), new RecordingLink("ada")));
        assertThat(slowLoadStarted.await(10, TimeUnit.SECONDS)).isTrue();

        UniverseRegistry.Entry other = CompletableFuture.supplyAsync(
                () -> registry.join("BB", UniverseTest.player("bob"), new RecordingLink("bob"))).get(5, TimeUnit.SECONDS);

        assertThat(other.result()).isInstanceOf(JoinResult.Entered.class);
        assertThat(registry.find("Aa")).isEmpty(); // not published before it is loaded
        assertThat(slowJoin).isNotDone();
        slowLoadMayEnd.countDown();
        assertThat(slowJoin.get(10, TimeUnit.SECONDS).result()).isInstanceOf(JoinResult.Entered.class);
        assertThat(registry.find("Aa")).isPresent();
    }

    @Test
    void concurrentJoinersOfANewUniverseWaitForOneLoadAndShareIt() throws Exception {
        slow.add("alpha");
        CompletableFuture<UniverseRegistry.Entry> first = CompletableFuture.supplyAsync(
                () -> registry.join("alpha", UniverseTest.player("ada"), new RecordingLink("ada")));
        assertThat(slowLoadStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<UniverseRegistry.Entry> second = CompletableFuture.supplyAsync(
                () -> registry.join("alpha", UniverseTest.player("bob"), new RecordingLink("bob")));
        slowLoadMayEnd.countDown();

        Universe a = first.get(10, TimeUnit.SECONDS).universe();
        Universe b = second.get(10, TimeUnit.SECONDS).universe();

        assertThat(b).isSameAs(a);
        assertThat(loads.of("alpha")).isEqualTo(1);
        assertThat(a.summary().players()).isEqualTo(2);
    }

    @Test
    void aLoadThatFailsPublishesNothingAndTheNextJoinLoadsAgain() {
        Cluster unreachable = new Cluster() {
            int attempts;

            @Override
            public Replication replicate(Universe universe) {
                CheckingReplication replication = new CheckingReplication(universe);
                return new Replication() {
                    @Override
                    public void load() {
                        if (attempts++ == 0) {
                            throw new IllegalStateException("cannot load universe alpha");
                        }
                        replication.load();
                    }

                    @Override
                    public long nextEntityId() {
                        return replication.nextEntityId();
                    }

                    @Override
                    public void reserveEntityIds() {
                        replication.reserveEntityIds();
                    }

                    @Override
                    public void publish(ReplicatedChange change) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public Claim claim(String universe, PlayerIdentity identity, int maxPlayers) {
                return new Claim.Undecided();
            }

            @Override
            public boolean isReady() {
                return true;
            }
        };
        UniverseRegistry failing = new UniverseRegistry(name -> new Universe(name, SETTINGS, () -> 1L, Fanout.EACH,
                () -> "token", InterestObserver.NONE, unreachable), unreachable);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> failing.join("alpha", UniverseTest.player("ada"), new RecordingLink("ada")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(failing.find("alpha")).isEmpty();
        assertThat(failing.join("alpha", UniverseTest.player("ada"), new RecordingLink("ada")).result())
                .isInstanceOf(JoinResult.Entered.class);
    }
}
