package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.DecodedFrame;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.ProtocolVectors;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.Destroyed;
import dev.universerelay.protocol.ServerMessage.Joined;
import dev.universerelay.protocol.ServerMessage.Left;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import dev.universerelay.protocol.ServerMessage.PlayerInfo;
import dev.universerelay.protocol.ServerMessage.Velocity;
import dev.universerelay.protocol.ServerMessage.Welcome;
import dev.universerelay.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules of one universe (protocol sections 1, 5, 6, 7 and 11), without any transport. */
class UniverseTest extends UniverseFixture {
    static final long GRACE = 10_000;
    static final LimitsInfo LIMITS = new LimitsInfo(30, 60, 3, 2000, 100_000);

    @BeforeEach
    void setUp() {
        universe = universe(3, GRACE);
    }

    Universe universe(int maxPlayers, long grace) {
        return create("alpha", new UniverseSettings(LIMITS, maxPlayers, grace));
    }

    // ------------------------------------------------------------------ joining

    @Test
    void joinGetsAWelcomeAndTheOthersGetJoined() {
        Member ada = join("ada");
        clock.addAndGet(5);
        Member bob = join("bob");

        Welcome welcome = bob.link().welcome();
        assertThat(bob.link().messages).containsExactly(welcome);
        assertThat(welcome.universe()).isEqualTo("alpha");
        assertThat(welcome.you()).isEqualTo(bob.number());
        assertThat(welcome.name()).isEqualTo("bob");
        assertThat(welcome.serverTime()).isEqualTo(T0 + 5);
        assertThat(welcome.resumeToken()).isEqualTo("resume-2");
        assertThat(welcome.players()).containsExactly(new PlayerInfo(ada.number(), "ada"));
        assertThat(welcome.entities()).isEmpty();
        assertThat(welcome.limits()).isEqualTo(LIMITS);

        assertThat(ada.link().messages).containsExactly(ada.link().welcome(), new Joined(bob.number(), "bob"));
        assertThat(ada.link().welcome().players()).isEmpty();
        assertThat(ada.number()).isNotEqualTo(bob.number());
        assertThat(universe.summary().players()).isEqualTo(2);
    }

    @Test
    void aLateJoinerGetsEveryEntityWithItsCurrentState() {
        Member ada = join("ada");
        Member bob = join("bob");
        long a1 = spawn(ada, 1, 10.5f, -4f, 0f, 30f);
        clock.addAndGet(10);
        long b1 = spawn(bob, 9, 1f, 2f, 3f, 4f);
        clock.addAndGet(10);
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Move(a1, 7f, 8f, -9f, 10f))).isNull();
        clock.addAndGet(10);

        Member carol = join("carol");

        Welcome welcome = carol.link().welcome();
        assertThat(welcome.players()).containsExactly(new PlayerInfo(ada.number(), "ada"), new PlayerInfo(bob.number(), "bob"));
        assertThat(welcome.entities()).containsExactly(
                new Appeared(a1, ada.number(), 7, 7f, 8f, -9f, 10f, T0 + 20, 0),
                new Appeared(b1, bob.number(), 7, 1f, 2f, 3f, 4f, T0 + 10, 0));
        assertThat(welcome.serverTime()).isEqualTo(T0 + 30);
    }

    @Test
    void spectatorsGetAWelcomeButAreNotPlayers() {
        Member ada = join("ada");
        long id = spawn(ada, 1, 0f, 0f, 0f, 0f);
        Member sam = spectator("sam");

        Welcome welcome = sam.link().welcome();
        assertThat(welcome.you()).isPositive().isNotEqualTo(ada.number());
        assertThat(welcome.players()).containsExactly(new PlayerInfo(ada.number(), "ada"));
        assertThat(welcome.entities()).extracting(Appeared::id).containsExactly(id);
        assertThat(ada.link().of(Joined.class)).isEmpty();

        Member bob = join("bob");
        assertThat(bob.link().welcome().players()).containsExactly(new PlayerInfo(ada.number(), "ada"));
        assertThat(sam.link().of(Joined.class)).containsExactly(new Joined(bob.number(), "bob"));
        assertThat(universe.summary().players()).isEqualTo(2);
        assertThat(universe.summary().spectators()).isEqualTo(1);

        drainAll();
        universe.disconnect(sam.player(), sam.link(), true);
        universe.disconnect(spectator("sue").player(), allLinks.get(allLinks.size() - 1), false);
        assertThat(ada.link().messages).isEmpty();
        assertThat(bob.link().messages).isEmpty();
        assertThat(universe.summary().spectators()).isZero();
    }

    @Test
    void spectatorsSeeEveryEventAndMaySendNoAction() {
        Member ada = join("ada");
        Member sam = spectator("sam");
        long id = spawn(ada, 5, 0f, 0f, 0f, 0f);
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Move(id, 1f, 1f, 1f, 1f))).isNull();
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Destroy(id))).isNull();
        assertThat(sam.link().messages).extracting(ServerMessage::type)
                .containsExactly("welcome", "appeared", "velocity", "destroyed");

        long other = spawn(ada, 6, 0f, 0f, 0f, 0f);
        List<Appeared> before = snapshot();
        drainAll();
        for (ClientMessage action : List.of(new ClientMessage.Spawn(1, 1, 0f, 0f, 0f, 0f),
                new ClientMessage.Move(other, 1f, 1f, 1f, 1f), new ClientMessage.Destroy(other),
                new ClientMessage.Move(999, Float.NaN, 0f, 0f, 0f), new ClientMessage.Destroy(999))) {
            assertRejected(universe.apply(sam.player(), sam.link(), action), ErrorCode.READ_ONLY);
        }
        assertNoMessages();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void spectatorsDoNotCountForMaxPlayers() {
        universe = universe(2, GRACE);
        spectator("s1");
        spectator("s2");
        join("ada");
        spectator("s3");
        join("bob");
        RecordingLink carolLink = link("carol");
        assertThat(universe.join(player("carol"), carolLink)).isInstanceOf(JoinResult.Full.class);
        assertThat(carolLink.messages).isEmpty();
        assertThat(universe.join(spectatorIdentity("s4"), link("s4"))).isInstanceOf(JoinResult.Entered.class);
        assertThat(universe.summary().players()).isEqualTo(2);
        assertThat(universe.summary().spectators()).isEqualTo(4);
    }

    @Test
    void aFullUniverseRefusesWithoutTellingAnyone() {
        universe = universe(2, GRACE);
        Member ada = join("ada");
        Member bob = join("bob");
        drainAll();
        RecordingLink carol = link("carol");
        assertThat(universe.join(player("carol"), carol)).isInstanceOf(JoinResult.Full.class);
        assertNoMessages();

        // A player in its grace period still counts.
        universe.disconnect(ada.player(), ada.link(), false);
        assertThat(universe.join(player("carol"), link("carol"))).isInstanceOf(JoinResult.Full.class);
        // One that left for good does not.
        universe.disconnect(bob.player(), bob.link(), true);
        assertThat(universe.join(player("carol"), link("carol"))).isInstanceOf(JoinResult.Entered.class);
    }

    @Test
    void maxPlayersZeroMeansUnlimited() {
        universe = universe(0, GRACE);
        for (int i = 0; i < 50; i++) {
            join("p" + i);
        }
        assertThat(universe.summary().players()).isEqualTo(50);
    }

    @Test
    void theSameSubjectJoiningAgainTakesThePlayerOver() {
        Member ada = join("ada");
        Member bob = join("bob");
        long a1 = spawn(ada, 1, 1f, 1f, 0f, 0f);
        long a2 = spawn(ada, 2, 2f, 2f, 0f, 0f);
        drainAll();

        RecordingLink second = link("ada-2");
        JoinResult result = universe.join(player("ada"), second);

        assertThat(result).isInstanceOf(JoinResult.Entered.class);
        JoinResult.Entered entered = (JoinResult.Entered) result;
        assertThat(entered.resumed()).isTrue();
        assertThat(entered.player()).isSameAs(ada.player());
        assertThat(ada.link().closeCodes).containsExactly(CloseCodes.REPLACED);
        assertThat(ada.link().messages).isEmpty();
        Welcome welcome = second.welcome();
        assertThat(welcome.you()).isEqualTo(ada.number());
        assertThat(welcome.players()).containsExactly(new PlayerInfo(bob.number(), "bob"));
        assertThat(welcome.entities()).extracting(Appeared::id).containsExactly(a1, a2);
        assertThat(bob.link().messages).isEmpty();
        assertThat(universe.summary().players()).isEqualTo(2);

        // The old connection can no longer act or leave on the player's behalf.
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Destroy(a1))).isNull();
        assertThat(universe.disconnect(ada.player(), ada.link(), true)).isFalse();
        assertThat(bob.link().messages).isEmpty();
        assertThat(snapshot()).extracting(Appeared::id).containsExactly(a1, a2);

        // The new one can.
        assertThat(universe.apply(ada.player(), second, new ClientMessage.Destroy(a1))).isNull();
        assertThat(bob.link().messages).containsExactly(new Destroyed(a1, T0));
    }

    @Test
    void aSpectatorTakeoverClosesTheOlderSpectatorConnection() {
        join("ada");
        Member sam = spectator("sam");
        RecordingLink second = link("sam-2");
        JoinResult.Entered entered = (JoinResult.Entered) universe.join(spectatorIdentity("sam"), second);
        assertThat(entered.resumed()).isTrue();
        assertThat(entered.player().number()).isEqualTo(sam.number());
        assertThat(sam.link().closeCodes).containsExactly(CloseCodes.REPLACED);
        assertThat(universe.summary().spectators()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ actions and fan-out

    @Test
    void spawnAppearsToEveryoneIncludingTheOwnerWithTheRef() {
        Member ada = join("ada");
        Member bob = join("bob");
        Member sam = spectator("sam");
        drainAll();
        clock.addAndGet(42);

        Rejection rejection = universe.apply(ada.player(), ada.link(), new ClientMessage.Spawn(77, 9, 10.5f, -4f, 0f, 30f));

        assertThat(rejection).isNull();
        Appeared expected = new Appeared(1, ada.number(), 9, 10.5f, -4f, 0f, 30f, T0 + 42, 77);
        assertThat(ada.link().messages).containsExactly(expected);
        assertThat(bob.link().messages).containsExactly(expected);
        assertThat(sam.link().messages).containsExactly(expected);
        assertThat(snapshot()).containsExactly(new Appeared(1, ada.number(), 9, 10.5f, -4f, 0f, 30f, T0 + 42, 0));
    }

    @Test
    void moveGoesToTheOthersOnlyAndUpdatesTheState() {
        Member ada = join("ada");
        Member bob = join("bob");
        Member sam = spectator("sam");
        long id = spawn(ada, 1, 0f, 0f, 0f, 0f);
        drainAll();
        clock.addAndGet(100);

        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Move(id, 1.5f, 2.25f, -3f, 4f))).isNull();

        Velocity expected = new Velocity(id, 1.5f, 2.25f, -3f, 4f, T0 + 100);
        assertThat(ada.link().messages).isEmpty();
        assertThat(bob.link().messages).containsExactly(expected);
        assertThat(sam.link().messages).containsExactly(expected);
        assertThat(snapshot()).containsExactly(new Appeared(id, ada.number(), 7, 1.5f, 2.25f, -3f, 4f, T0 + 100, 0));
    }

    @Test
    void destroyGoesToTheOthersOnlyAndRemovesTheEntity() {
        Member ada = join("ada");
        Member bob = join("bob");
        long keep = spawn(ada, 1, 0f, 0f, 0f, 0f);
        long gone = spawn(ada, 2, 0f, 0f, 0f, 0f);
        drainAll();
        clock.addAndGet(7);

        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Destroy(gone))).isNull();

        assertThat(ada.link().messages).isEmpty();
        assertThat(bob.link().messages).containsExactly(new Destroyed(gone, T0 + 7));
        assertThat(snapshot()).extracting(Appeared::id).containsExactly(keep);
        assertThat(universe.summary().entities()).isEqualTo(1);
        // Gone means unknown now.
        assertRejected(universe.apply(ada.player(), ada.link(), new ClientMessage.Destroy(gone)), ErrorCode.UNKNOWN_ENTITY);
        assertRejected(universe.apply(ada.player(), ada.link(), new ClientMessage.Move(gone, 0f, 0f, 0f, 0f)),
                ErrorCode.UNKNOWN_ENTITY);
    }

    @Test
    void aPingIsNotTheUniversesBusiness() {
        Member ada = join("ada");
        assertThatThrownBy(() -> universe.apply(ada.player(), ada.link(), new ClientMessage.Ping(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ rule errors

    @Test
    void unknownEntity() {
        Member ada = join("ada");
        join("bob");
        spawn(ada, 1, 0f, 0f, 0f, 0f);
        assertRefusedWithoutEffect(ada, new ClientMessage.Move(999, 0f, 0f, 0f, 0f), ErrorCode.UNKNOWN_ENTITY);
        assertRefusedWithoutEffect(ada, new ClientMessage.Destroy(0), ErrorCode.UNKNOWN_ENTITY);
        assertRefusedWithoutEffect(ada, new ClientMessage.Destroy(4_294_967_295L), ErrorCode.UNKNOWN_ENTITY);
        // Unknown comes before the state checks.
        assertRefusedWithoutEffect(ada, new ClientMessage.Move(999, Float.NaN, 0f, Float.NaN, 0f), ErrorCode.UNKNOWN_ENTITY);
    }

    @Test
    void notOwner() {
        Member ada = join("ada");
        Member bob = join("bob");
        long id = spawn(ada, 1, 0f, 0f, 0f, 0f);
        assertRefusedWithoutEffect(bob, new ClientMessage.Move(id, 1f, 1f, 1f, 1f), ErrorCode.NOT_OWNER);
        assertRefusedWithoutEffect(bob, new ClientMessage.Destroy(id), ErrorCode.NOT_OWNER);
        // Ownership comes before the state checks.
        assertRefusedWithoutEffect(bob, new ClientMessage.Move(id, Float.NaN, 0f, 1e9f, 0f), ErrorCode.NOT_OWNER);
    }

    @Test
    void outOfBoundsIsInclusiveAtTheBound() {
        Member ada = join("ada");
        join("bob");
        float bound = (float) LIMITS.bounds();
        long id = spawn(ada, 1, bound, -bound, 0f, 0f);
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Move(id, -bound, bound, 0f, 0f))).isNull();
        universe.apply(ada.player(), ada.link(), new ClientMessage.Destroy(id));

        long moving = spawn(ada, 2, 0f, 0f, 0f, 0f);
        float over = Math.nextUp(bound);
        float[][] bad = {
                {over, 0f}, {0f, over}, {-over, 0f}, {0f, -over}, {1e30f, 1e30f},
                {Float.NaN, 0f}, {0f, Float.NaN},
                {Float.POSITIVE_INFINITY, 0f}, {0f, Float.NEGATIVE_INFINITY}};
        for (float[] xy : bad) {
            assertRefusedWithoutEffect(ada, new ClientMessage.Spawn(3, 1, xy[0], xy[1], 0f, 0f), ErrorCode.OUT_OF_BOUNDS);
            assertRefusedWithoutEffect(ada, new ClientMessage.Move(moving, xy[0], xy[1], 0f, 0f), ErrorCode.OUT_OF_BOUNDS);
        }
        // Bounds come before speed.
        assertRefusedWithoutEffect(ada, new ClientMessage.Move(moving, Float.NaN, 0f, Float.NaN, 0f), ErrorCode.OUT_OF_BOUNDS);
    }

    @Test
    void theNonFiniteCoordinateVectorsAreOutOfBounds() {
        Member ada = join("ada");
        join("bob");
        long id = spawn(ada, 1, 0f, 0f, 0f, 0f);
        assertThat(id).isEqualTo(1); // the vectors move entity 1
        List<Map<String, Object>> vectors = ProtocolVectors.invalidClientFrames();
        int checked = 0;
        for (Map<String, Object> vector : vectors) {
            if (!((String) vector.get("why")).contains("out_of_bounds")) {
                continue;
            }
            DecodedFrame frame = BinaryCodec.decodeClientFrame(ProtocolVectors.buffer(vector));
            assertThat(frame.items()).hasSize(1);
            assertRefusedWithoutEffect(ada, (ClientMessage) frame.items().get(0), ErrorCode.OUT_OF_BOUNDS);
            checked++;
        }
        assertThat(checked).isEqualTo(2);
    }

    @Test
    void tooFastUsesHypotAndAllowsExactlyMaxSpeed() {
        Member ada = join("ada");
        join("bob");
        float max = (float) LIMITS.maxSpeed();
        long id = spawn(ada, 1, 0f, 0f, 1200f, 1600f); // hypot = 2000 exactly
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Move(id, 0f, 0f, -max, 0f))).isNull();
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Move(id, 0f, 0f, 0f, max))).isNull();
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Move(id, 0f, 0f, -1600f, -1200f))).isNull();

        float[][] bad = {
                {Math.nextUp(max), 0f}, {0f, -Math.nextUp(max)},
                {1500f, 1500f}, // each below max, hypot 2121
                {1200f, Math.nextUp(1600f)},
                {Float.NaN, 0f}, {0f, Float.NaN}, {Float.POSITIVE_INFINITY, 0f}, {0f, Float.NEGATIVE_INFINITY},
                {Float.MAX_VALUE, Float.MAX_VALUE}};
        for (float[] v : bad) {
            assertRefusedWithoutEffect(ada, new ClientMessage.Spawn(2, 1, 0f, 0f, v[0], v[1]), ErrorCode.TOO_FAST);
            assertRefusedWithoutEffect(ada, new ClientMessage.Move(id, 0f, 0f, v[0], v[1]), ErrorCode.TOO_FAST);
        }
    }

    @Test
    void tooManyEntitiesPerPlayer() {
        Member ada = join("ada");
        Member bob = join("bob");
        long first = spawn(ada, 1, 0f, 0f, 0f, 0f);
        spawn(ada, 2, 0f, 0f, 0f, 0f);
        spawn(ada, 3, 0f, 0f, 0f, 0f);
        assertRefusedWithoutEffect(ada, new ClientMessage.Spawn(4, 1, 0f, 0f, 0f, 0f), ErrorCode.TOO_MANY_ENTITIES);
        // The limit is per player.
        spawn(bob, 1, 0f, 0f, 0f, 0f);
        // A destroyed entity frees its place.
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.Destroy(first))).isNull();
        spawn(ada, 5, 0f, 0f, 0f, 0f);
        assertRefusedWithoutEffect(ada, new ClientMessage.Spawn(6, 1, 0f, 0f, 0f, 0f), ErrorCode.TOO_MANY_ENTITIES);
        // Invalid state is reported before the count.
        assertRefusedWithoutEffect(ada, new ClientMessage.Spawn(7, 1, Float.NaN, 0f, 0f, 0f), ErrorCode.OUT_OF_BOUNDS);
    }

    @Test
    void maxEntitiesZeroRefusesEverySpawn() {
        universe = create("zero", new UniverseSettings(new LimitsInfo(30, 60, 0, 2000, 100_000), 0, GRACE));
        Member ada = join("ada");
        assertRefusedWithoutEffect(ada, new ClientMessage.Spawn(1, 1, 0f, 0f, 0f, 0f), ErrorCode.TOO_MANY_ENTITIES);
    }

    // ------------------------------------------------------------------ leaving

    @Test
    void leavingForGoodDestroysEachEntityForEveryoneThenLeft() {
        Member ada = join("ada");
        Member bob = join("bob");
        Member sam = spectator("sam");
        long a1 = spawn(ada, 1, 0f, 0f, 0f, 0f);
        long b1 = spawn(bob, 1, 0f, 0f, 0f, 0f);
        long a2 = spawn(ada, 2, 0f, 0f, 0f, 0f);
        drainAll();
        clock.addAndGet(3);

        assertThat(universe.disconnect(ada.player(), ada.link(), true)).isFalse();

        List<ServerMessage> expected = List.of(new Destroyed(a1, T0 + 3), new Destroyed(a2, T0 + 3), new Left(ada.number()));
        assertThat(bob.link().messages).containsExactlyElementsOf(expected);
        assertThat(sam.link().messages).containsExactlyElementsOf(expected);
        assertThat(ada.link().messages).isEmpty();
        assertThat(ada.link().closeCodes).isEmpty(); // the transport closes its own connection
        assertThat(snapshot()).extracting(Appeared::id).containsExactly(b1);
        assertThat(universe.summary().players()).isEqualTo(1);

        // A second disconnect of the same connection does nothing.
        drainAll();
        assertThat(universe.disconnect(ada.player(), ada.link(), true)).isFalse();
        assertNoMessages();
    }

    @Test
    void aDroppedPlayerStaysUntilTheGracePeriodEnds() {
        Member ada = join("ada");
        Member bob = join("bob");
        long a1 = spawn(ada, 1, 0f, 0f, 0f, 0f);
        long a2 = spawn(ada, 2, 0f, 0f, 0f, 0f);
        drainAll();

        assertThat(universe.disconnect(ada.player(), ada.link(), false)).isFalse();
        assertNoMessages();
        assertThat(universe.summary().players()).isEqualTo(2);
        assertThat(snapshot()).extracting(Appeared::id).containsExactly(a1, a2);

        clock.addAndGet(GRACE - 1);
        assertThat(universe.expireGrace()).isFalse();
        assertNoMessages();

        clock.addAndGet(1);
        assertThat(universe.expireGrace()).isFalse();
        assertThat(bob.link().messages).containsExactly(
                new Destroyed(a1, T0 + GRACE), new Destroyed(a2, T0 + GRACE), new Left(ada.number()));
        assertThat(universe.summary().players()).isEqualTo(1);
        assertThat(snapshot()).isEmpty();

        // Nothing more on later rounds.
        drainAll();
        clock.addAndGet(GRACE);
        universe.expireGrace();
        assertNoMessages();
    }

    @Test
    void rejoiningWithinTheGracePeriodKeepsNumberAndEntities() {
        Member ada = join("ada");
        Member bob = join("bob");
        long a1 = spawn(ada, 1, 5f, 6f, 7f, 8f);
        String firstResumeToken = ada.link().welcome().resumeToken();
        drainAll();
        universe.disconnect(ada.player(), ada.link(), false);
        clock.addAndGet(GRACE - 1);

        RecordingLink again = link("ada-again");
        JoinResult result = universe.join(player("ada"), again);

        assertThat(result).isInstanceOf(JoinResult.Entered.class);
        assertThat(((JoinResult.Entered) result).resumed()).isTrue();
        assertThat(((JoinResult.Entered) result).player()).isSameAs(ada.player());
        Welcome welcome = again.welcome();
        assertThat(welcome.you()).isEqualTo(ada.number());
        assertThat(welcome.entities()).containsExactly(new Appeared(a1, ada.number(), 7, 5f, 6f, 7f, 8f, T0, 0));
        assertThat(welcome.players()).containsExactly(new PlayerInfo(bob.number(), "bob"));
        assertThat(welcome.resumeToken()).isNotEqualTo(firstResumeToken);
        assertThat(bob.link().messages).isEmpty();
        assertThat(ada.link().closeCodes).isEmpty(); // that connection was already gone

        // The old deadline no longer applies.
        clock.addAndGet(GRACE * 5);
        universe.expireGrace();
        assertThat(bob.link().messages).isEmpty();
        assertThat(universe.apply(ada.player(), again, new ClientMessage.Move(a1, 0f, 0f, 0f, 0f))).isNull();
        assertThat(bob.link().messages).hasSize(1);
    }

    @Test
    void aDroppedPlayerMissesEventsButSeesThemInTheNextWelcome() {
        Member ada = join("ada");
        Member bob = join("bob");
        universe.disconnect(ada.player(), ada.link(), false);
        ada.link().drain();
        long b1 = spawn(bob, 1, 0f, 0f, 0f, 0f);
        assertThat(ada.link().messages).isEmpty();
        RecordingLink again = link("ada-again");
        universe.join(player("ada"), again);
        assertThat(again.welcome().entities()).extracting(Appeared::id).containsExactly(b1);
    }

    @Test
    void withoutAGracePeriodEveryDisconnectIsForGood() {
        universe = universe(3, 0);
        Member ada = join("ada");
        Member bob = join("bob");
        long a1 = spawn(ada, 1, 0f, 0f, 0f, 0f);
        drainAll();
        universe.disconnect(ada.player(), ada.link(), false);
        assertThat(bob.link().messages).containsExactly(new Destroyed(a1, T0), new Left(ada.number()));
    }

    @Test
    void idsAndPlayerNumbersAreNeverReused() {
        Set<Long> ids = new HashSet<>();
        Set<Long> numbers = new HashSet<>();
        Member keeper = join("keeper");
        numbers.add(keeper.number());
        for (int round = 0; round < 5; round++) {
            Member m = join("p" + round);
            assertThat(numbers.add(m.number())).as("number %d reused", m.number()).isTrue();
            long id = spawn(m, 1, 0f, 0f, 0f, 0f);
            assertThat(ids.add(id)).as("id %d reused", id).isTrue();
            universe.apply(m.player(), m.link(), new ClientMessage.Destroy(id));
            long id2 = spawn(m, 2, 0f, 0f, 0f, 0f);
            assertThat(ids.add(id2)).as("id %d reused", id2).isTrue();
            universe.disconnect(m.player(), m.link(), round % 2 == 0);
            clock.addAndGet(GRACE);
            universe.expireGrace();
            // The same subject comes back as a new player after leaving for good.
            Member back = join("p" + round);
            assertThat(numbers.add(back.number())).as("number %d reused", back.number()).isTrue();
            universe.disconnect(back.player(), back.link(), true);
        }
        assertThat(ids).allMatch(id -> id > 0);
    }

    // ------------------------------------------------------------------ closing

    @Test
    void theUniverseClosesWhenTheLastMemberLeaves() {
        Member ada = join("ada");
        Member bob = join("bob");
        assertThat(universe.disconnect(ada.player(), ada.link(), true)).isFalse();
        assertThat(universe.isClosed()).isFalse();
        assertThat(universe.disconnect(bob.player(), bob.link(), true)).isTrue();
        assertThat(universe.isClosed()).isTrue();
        assertThat(universe.join(player("carol"), link("carol"))).isInstanceOf(JoinResult.Closed.class);
        assertThat(universe.expireGrace()).isFalse();
    }

    @Test
    void theUniverseClosesWhenTheLastGracePeriodEnds() {
        Member ada = join("ada");
        assertThat(universe.disconnect(ada.player(), ada.link(), false)).isFalse();
        assertThat(universe.isClosed()).isFalse();
        clock.addAndGet(GRACE);
        assertThat(universe.expireGrace()).isTrue();
        assertThat(universe.isClosed()).isTrue();
        assertThat(universe.join(player("ada"), link("ada"))).isInstanceOf(JoinResult.Closed.class);
    }

    @Test
    void aSpectatorAloneKeepsTheUniverseOpenUntilItLeaves() {
        Member ada = join("ada");
        Member sam = spectator("sam");
        assertThat(universe.disconnect(ada.player(), ada.link(), true)).isFalse();
        assertThat(universe.disconnect(sam.player(), sam.link(), true)).isTrue();
    }

    @Test
    void closeAllClosesEveryConnectionAndTheUniverse() {
        Member ada = join("ada");
        Member bob = join("bob");
        Member sam = spectator("sam");
        spawn(ada, 1, 0f, 0f, 0f, 0f);
        universe.disconnect(bob.player(), bob.link(), false);
        drainAll();

        universe.closeAll(CloseCodes.GOING_AWAY, "shutdown");

        assertThat(ada.link().closeCodes).containsExactly(CloseCodes.GOING_AWAY);
        assertThat(sam.link().closeCodes).containsExactly(CloseCodes.GOING_AWAY);
        assertThat(bob.link().closeCodes).isEmpty();
        assertNoMessages();
        assertThat(universe.isClosed()).isTrue();
        assertThat(universe.summary()).isEqualTo(new UniverseSummary("alpha", 0, 0, 0, T0));
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void concurrentActionsAreSeenInOneOrderByEveryone() throws Exception {
        universe = universe(0, GRACE);
        int threads = 4;
        int rounds = 300;
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            members.add(join("p" + i));
        }
        Member sam = spectator("sam");
        drainAll();

        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Member m : members) {
            Thread t = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        int before;
                        synchronized (m.link()) {
                            before = m.link().messages.size();
                        }
                        if (universe.apply(m.player(), m.link(), new ClientMessage.Spawn(r + 1, 1, 0f, 0f, 0f, 0f)) != null) {
                            throw new AssertionError("spawn refused");
                        }
                        long id = -1;
                        synchronized (m.link()) {
                            for (ServerMessage msg : m.link().messages.subList(before, m.link().messages.size())) {
                                if (msg instanceof Appeared && ((Appeared) msg).owner() == m.number()
                                        && ((Appeared) msg).ref() == r + 1) {
                                    id = ((Appeared) msg).id();
                                }
                            }
                        }
                        universe.apply(m.player(), m.link(), new ClientMessage.Move(id, 1f, 1f, 1f, 1f));
                        universe.apply(m.player(), m.link(), new ClientMessage.Destroy(id));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            workers.add(t);
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join(30_000);
        }
        assertThat(failures).isEmpty();

        List<ServerMessage> seen = sam.link().messages;
        assertThat(seen).hasSize(threads * rounds * 3);
        List<Long> appearedIds = new ArrayList<>();
        for (ServerMessage m : seen) {
            if (m instanceof Appeared) {
                appearedIds.add(((Appeared) m).id());
            }
        }
        assertThat(appearedIds).hasSize(threads * rounds).isSorted().doesNotHaveDuplicates();
        // Every player saw the spectator's sequence minus its own velocity and destroyed events.
        for (Member m : members) {
            List<ServerMessage> expected = new ArrayList<>();
            for (ServerMessage msg : seen) {
                boolean own = (msg instanceof Velocity || msg instanceof Destroyed) && ownerOf(seen, msg) == m.number();
                if (!own) {
                    expected.add(msg);
                }
            }
            assertThat(m.link().messages).containsExactlyElementsOf(expected);
        }
        assertThat(universe.summary().entities()).isZero();
    }

    private static long ownerOf(List<ServerMessage> events, ServerMessage event) {
        long id = ((ServerMessage.DeltaEvent) event).id();
        for (ServerMessage m : events) {
            if (m instanceof Appeared && ((Appeared) m).id() == id) {
                return ((Appeared) m).owner();
            }
        }
        throw new AssertionError("no appeared for " + id);
    }

    // ------------------------------------------------------------------ helpers

    /** The entities a new spectator would see; leaves no trace for the others. */
    List<Appeared> snapshot() {
        RecordingLink link = new RecordingLink("snapshot");
        JoinResult.Entered entered = (JoinResult.Entered) universe.join(
                new PlayerIdentity("snapshot-" + System.nanoTime(), "snapshot", true), link);
        List<Appeared> entities = link.welcome().entities();
        universe.disconnect(entered.player(), link, true);
        return entities;
    }

    /** The action is refused with that code, nobody hears of it, and no entity changed. */
    void assertRefusedWithoutEffect(Member sender, ClientMessage action, ErrorCode code) {
        List<Appeared> before = snapshot();
        UniverseSummary summaryBefore = universe.summary();
        drainAll();
        assertRejected(universe.apply(sender.player(), sender.link(), action), code);
        assertNoMessages();
        assertThat(snapshot()).as("entities after refused %s", action).isEqualTo(before);
        assertThat(universe.summary()).isEqualTo(summaryBefore);
    }
}
