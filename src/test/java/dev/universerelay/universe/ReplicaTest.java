package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import dev.universerelay.universe.ReplicatedChange.EntityRemoved;
import dev.universerelay.universe.ReplicatedChange.EntitySet;
import dev.universerelay.universe.ReplicatedChange.MemberJoined;
import dev.universerelay.universe.ReplicatedChange.MemberLeft;
import dev.universerelay.universe.ReplicatedChange.MemberMoved;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A universe as one node's copy of a universe shared with other nodes (docs/cluster.md): what it
 * tells the others, and how it applies what they tell it. No Redis here: the cluster is a recorder.
 */
class ReplicaTest {
    static final long T0 = 1_763_830_000_000L;
    static final LimitsInfo LIMITS = new LimitsInfo(30, 60, 3, 2000, 100_000);

    final AtomicLong clock = new AtomicLong(T0);
    final RecordingCluster cluster = new RecordingCluster();
    Universe universe;

    /** Replication that records what the universe publishes and gives ids from 1000 on. */
    static final class RecordingCluster implements Cluster {
        final List<ReplicatedChange> published = new ArrayList<>();
        long nextId = 1000;
        boolean idsAvailable = true;
        boolean closed;

        @Override
        public Replication replicate(Universe universe) {
            return new Replication() {
                @Override
                public void load() {
                }

                @Override
                public void reserveEntityIds() {
                }

                @Override
                public long nextEntityId() {
                    if (!idsAvailable) {
                        throw new IllegalStateException("no ids");
                    }
                    return nextId++;
                }

                @Override
                public void publish(ReplicatedChange change) {
                    published.add(change);
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        }

        @Override
        public Claim claim(String universe, PlayerIdentity identity, int maxPlayers) {
            throw new UnsupportedOperationException("the registry claims; these tests join directly");
        }

        @Override
        public boolean isReady() {
            return true;
        }
    }

    @BeforeEach
    void setUp() {
        universe = universe(new InterestSettings(false, 1000, 5000));
    }

    Universe universe(InterestSettings interest) {
        return new Universe("shared", new UniverseSettings(LIMITS, 0, 10_000, interest), clock::get, Fanout.EACH,
                () -> "resume", InterestObserver.NONE, cluster);
    }

    Player join(String subject, long number, RecordingLink link) {
        JoinResult result = universe.joinClaimed(new PlayerIdentity(subject, subject, false), link, number);
        return ((JoinResult.Entered) result).player();
    }

    @Test
    void localActionsArePublishedAsWholeStatesInOrder() {
        RecordingLink link = new RecordingLink("ada");
        Player ada = join("ada", 5, link);
        assertThat(universe.apply(ada, link, new ClientMessage.Spawn(1, 2, 10, 20, 1, 1))).isNull();
        assertThat(universe.apply(ada, link, new ClientMessage.Move(1000, 11, 21, 2, 2))).isNull();
        assertThat(universe.apply(ada, link, new ClientMessage.Destroy(1000))).isNull();
        assertThat(cluster.published).containsExactly(
                new EntitySet(true, 1000, 5, 2, 10, 20, 1, 1, T0, 1),
                new EntitySet(false, 1000, 5, 2, 11, 21, 2, 2, T0),
                new EntityRemoved(1000, T0));
    }

    @Test
    void aRefusedActionPublishesNothing() {
        RecordingLink link = new RecordingLink("ada");
        Player ada = join("ada", 1, link);
        universe.applyRemote(new MemberJoined(2, "bob", "bob"));
        universe.applyRemote(new EntitySet(true, 7, 2, 1, 0, 0, 0, 0, T0));
        assertThat(universe.apply(ada, link, new ClientMessage.Move(7, 1, 1, 0, 0)).code()).isEqualTo(ErrorCode.NOT_OWNER);
        assertThat(universe.apply(ada, link, new ClientMessage.Spawn(1, 1, Float.NaN, 0, 0, 0)).code())
                .isEqualTo(ErrorCode.OUT_OF_BOUNDS);
        assertThat(cluster.published).isEmpty();
    }

    @Test
    void withoutEntityIdsASpawnIsRefusedAndChangesNothing() {
        RecordingLink link = new RecordingLink("ada");
        Player ada = join("ada", 1, link);
        cluster.idsAvailable = false;
        Rejection refused = universe.apply(ada, link, new ClientMessage.Spawn(9, 1, 0, 0, 0, 0));
        assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(refused.message()).contains("try again");
        assertThat(universe.entities()).isEmpty();
        assertThat(cluster.published).isEmpty();
    }

    @Test
    void aPlayerLeavingForGoodPublishesEachEntityRemovedThenLeft() {
        RecordingLink link = new RecordingLink("ada");
        Player ada = join("ada", 3, link);
        universe.apply(ada, link, new ClientMessage.Spawn(1, 1, 0, 0, 0, 0));
        universe.apply(ada, link, new ClientMessage.Spawn(2, 1, 0, 0, 0, 0));
        cluster.published.clear();
        universe.disconnect(ada, link, true);
        assertThat(cluster.published).containsExactly(new EntityRemoved(1000, T0), new EntityRemoved(1001, T0),
                new MemberLeft(3));
        assertThat(cluster.closed).isTrue();
    }

    @Test
    void otherNodesChangesReachLocalPlayersAsProtocolEvents() {
        RecordingLink link = new RecordingLink("ada");
        join("ada", 1, link);
        link.drain();
        universe.applyRemote(new MemberJoined(2, "bob", "Bob"));
        universe.applyRemote(new EntitySet(true, 50, 2, 4, 1, 2, 3, 4, T0 + 1));
        universe.applyRemote(new EntitySet(false, 50, 2, 4, 5, 6, 7, 8, T0 + 2));
        universe.applyRemote(new EntityRemoved(50, T0 + 3));
        universe.applyRemote(new MemberLeft(2));
        assertThat(link.messages).containsExactly(
                new ServerMessage.Joined(2, "Bob"),
                new ServerMessage.Appeared(50, 2, 4, 1, 2, 3, 4, T0 + 1, 0),
                new ServerMessage.Velocity(50, 5, 6, 7, 8, T0 + 2),
                new ServerMessage.Destroyed(50, T0 + 3),
                new ServerMessage.Left(2));
        assertThat(cluster.published).isEmpty(); // nothing echoes back
    }

    @Test
    void changesThatCannotBePlacedAreIgnored() {
        RecordingLink link = new RecordingLink("ada");
        join("ada", 1, link);
        link.drain();
        universe.applyRemote(new EntitySet(true, 50, 99, 1, 0, 0, 0, 0, T0)); // owner unknown here
        universe.applyRemote(new EntityRemoved(51, T0)); // never seen
        universe.applyRemote(new MemberLeft(77));
        universe.applyRemote(new MemberJoined(1, "ada", "ada")); // already known
        assertThat(link.messages).isEmpty();
        assertThat(universe.entities()).isEmpty();
    }

    @Test
    void aMemberMovedToAnotherNodeLosesItsConnectionHereWith4009AndKeepsItsEntities() {
        RecordingLink stay = new RecordingLink("stay");
        join("stay", 1, stay);
        RecordingLink link = new RecordingLink("roamer");
        Player roamer = join("roamer", 2, link);
        universe.apply(roamer, link, new ClientMessage.Spawn(1, 1, 0, 0, 0, 0));
        universe.applyRemote(new MemberMoved(2, "node-b"));
        assertThat(link.closeCodes).containsExactly(CloseCodes.REPLACED);
        assertThat(roamer.isRemote()).isTrue();
        assertThat(universe.entities()).extracting(ServerMessage.Appeared::owner).containsExactly(2L);
        // its moves now come from the other node and still reach this node's players
        universe.applyRemote(new EntitySet(false, 1000, 2, 1, 9, 9, 0, 0, T0 + 5));
        assertThat(stay.of(ServerMessage.Velocity.class)).hasSize(1);
        // and its grace period is not this node's business any more
        clock.addAndGet(60_000);
        universe.expireGrace();
        assertThat(stay.of(ServerMessage.Left.class)).isEmpty();
    }

    @Test
    void theCopyClosesWhenNoLocalMemberIsLeftWhateverOtherNodesHold() {
        RecordingLink link = new RecordingLink("ada");
        Player ada = join("ada", 1, link);
        universe.applyRemote(new MemberJoined(2, "bob", "bob"));
        assertThat(universe.disconnect(ada, link, true)).isTrue();
        assertThat(universe.isClosed()).isTrue();
        assertThat(cluster.closed).isTrue();
    }

    @Test
    void remoteChangesFollowTheLocalPlayersViews() {
        universe = universe(new InterestSettings(true, 1000, 5000));
        RecordingLink link = new RecordingLink("ada");
        Player ada = join("ada", 1, link);
        universe.applyRemote(new MemberJoined(2, "bob", "bob"));
        universe.apply(ada, link, new ClientMessage.View(0, 0, 500));
        link.drain();
        universe.applyRemote(new EntitySet(true, 60, 2, 1, 4000, 4000, 0, 0, T0)); // far away
        universe.applyRemote(new EntitySet(false, 60, 2, 1, 4000, 4001, 0, 0, T0));
        universe.applyRemote(new EntitySet(true, 61, 2, 1, 100, 100, 0, 0, T0)); // in view
        universe.applyRemote(new EntityRemoved(60, T0));
        universe.applyRemote(new EntityRemoved(61, T0));
        assertThat(link.messages).containsExactly(
                new ServerMessage.Appeared(61, 2, 1, 100, 100, 0, 0, T0, 0),
                new ServerMessage.Destroyed(61, T0));
    }

    @Test
    void reconcilingWithTheStoreRemovesWhatVanishedAndAddsWhatAppearedButKeepsLocalState() {
        RecordingLink link = new RecordingLink("ada");
        Player ada = join("ada", 1, link);
        universe.apply(ada, link, new ClientMessage.Spawn(1, 1, 0, 0, 0, 0));
        universe.applyRemote(new MemberJoined(2, "bob", "bob"));
        universe.applyRemote(new EntitySet(true, 70, 2, 1, 0, 0, 0, 0, T0));
        universe.applyRemote(new MemberJoined(3, "cid", "cid"));
        universe.applyRemote(new EntitySet(true, 71, 3, 1, 0, 0, 0, 0, T0));
        link.drain();

        // meanwhile (missed): cid left, bob moved entity 70, dan joined with entity 72
        universe.reconcile(
                List.of(new MemberJoined(2, "bob", "bob"), new MemberJoined(4, "dan", "dan")),
                List.of(new EntitySet(true, 70, 2, 1, 50, 50, 0, 0, T0 + 9), new EntitySet(true, 72, 4, 1, 1, 1, 0, 0, T0 + 9)));

        assertThat(link.messages).containsExactlyInAnyOrder(
                new ServerMessage.Destroyed(71, T0), new ServerMessage.Left(3),
                new ServerMessage.Joined(4, "dan"),
                new ServerMessage.Velocity(70, 50, 50, 0, 0, T0 + 9),
                new ServerMessage.Appeared(72, 4, 1, 1, 1, 0, 0, T0 + 9, 0));
        assertThat(universe.entities()).extracting(ServerMessage.Appeared::id).containsExactlyInAnyOrder(1000L, 70L, 72L);
    }
}
