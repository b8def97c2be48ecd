package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.Destroyed;
import dev.universerelay.protocol.ServerMessage.Hidden;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import dev.universerelay.protocol.ServerMessage.Velocity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interest management in one universe (docs/protocol.md section 13): entities entering, staying
 * in and leaving views as they or the observers move, and what each player is and is not told.
 */
class InterestManagementTest extends UniverseFixture {
    static final LimitsInfo LIMITS = new LimitsInfo(30, 60, 8, 2000, 100_000);
    static final InterestSettings INTEREST = new InterestSettings(true, 100, 1000);

    @BeforeEach
    void setUp() {
        universe = universe(INTEREST);
    }

    Universe universe(InterestSettings interest) {
        return create("open-1", new UniverseSettings(LIMITS, 0, 10_000, interest));
    }

    // ------------------------------------------------------------------ without a view

    @Test
    void playersWithoutAViewSeeEverythingAsBefore() {
        Member ada = join("ada");
        Member bob = join("bob");
        long id = spawn(ada, 1, 5000, 5000, 0, 0);
        move(ada, id, 5001, 5000, 10, 0);
        tick(1000);
        assertThat(types(bob)).containsExactly("welcome", "appeared", "velocity");
        assertThat(types(ada)).containsExactly("welcome", "joined", "appeared");
    }

    // ------------------------------------------------------------------ spawns

    @Test
    void aSpawnAppearsOnlyToViewersWhoseAreaContainsTheSpawnPointAndAlwaysToItsOwner() {
        Member ada = join("ada");
        Member bob = join("bob");
        Member carol = join("carol");
        view(bob, 0, 0, 200);
        view(ada, 9000, 9000, 100);
        drainAll(ada, bob, carol);

        long near = spawn(ada, 1, 150, 0, 0, 0);
        long far = spawn(ada, 2, 250, 0, 0, 0);

        assertThat(bob.link().of(Appeared.class)).extracting(Appeared::id).containsExactly(near);
        assertThat(bob.link().of(Appeared.class).get(0).ref()).isEqualTo(1);
        assertThat(ada.link().of(Appeared.class)).extracting(Appeared::id).containsExactly(near, far);
        assertThat(carol.link().of(Appeared.class)).extracting(Appeared::id).containsExactly(near, far);
    }

    @Test
    void aViewersOwnEntitiesAreAlwaysShownAndNeverHidden() {
        Member ada = join("ada");
        long id = spawn(ada, 1, 0, 0, 1000, 0);
        view(ada, 50_000, 50_000, 10);
        tick(5000);
        move(ada, id, -50_000, 0, 0, 0);
        tick(100);
        assertThat(ada.link().of(Hidden.class)).isEmpty();
        assertThat(universe.entities()).hasSize(1);
    }

    // ------------------------------------------------------------------ entities moving

    @Test
    void anEntityEnteringStayingInAndLeavingAViewIsAppearedVelocityThenHidden() {
        Member ada = join("ada");
        Member bob = join("bob");
        view(bob, 0, 0, 500);
        long id = spawn(ada, 1, -2000, 0, 1000, 0); // 1000 units per second to the right, crossing cells
        assertThat(bob.link().of(Appeared.class)).isEmpty();

        tick(1000); // at -1000: still outside
        assertThat(bob.link().of(Appeared.class)).isEmpty();

        tick(1000); // at 0: inside
        assertThat(bob.link().of(Appeared.class)).containsExactly(
                new Appeared(id, ada.number(), 7, 0f, 0f, 1000f, 0f, T0 + 2000, 0));

        clock.addAndGet(100);
        move(ada, id, 100, 0, 1000, 10); // stays inside: velocity
        assertThat(bob.link().of(Velocity.class)).extracting(Velocity::id).containsExactly(id);
        tick(100);
        assertThat(bob.link().of(Hidden.class)).isEmpty();

        tick(400); // at about 600: outside
        assertThat(bob.link().of(Hidden.class)).containsExactly(new Hidden(id));

        move(ada, id, 5000, 0, 0, 0); // not shown any more: no velocity
        assertThat(bob.link().of(Velocity.class)).hasSize(1);
        tick(100);
        assertThat(bob.link().of(Hidden.class)).hasSize(1);
    }

    @Test
    void aMoveIntoAViewIsSeenAtTheNextTickWithTheCurrentState() {
        Member ada = join("ada");
        Member bob = join("bob");
        view(bob, 0, 0, 500);
        long id = spawn(ada, 1, 9000, 9000, 0, 0);
        clock.addAndGet(30);
        move(ada, id, 10, 20, 0, -100);
        assertThat(bob.link().of(Velocity.class)).isEmpty();
        tick(50);
        assertThat(bob.link().of(Appeared.class)).containsExactly(
                new Appeared(id, ada.number(), 7, 10f, 15f, 0f, -100f, T0 + 80, 0));
    }

    // ------------------------------------------------------------------ observers moving

    @Test
    void aFirstViewHidesEverythingOutsideItsArea() {
        Member ada = join("ada");
        Member bob = join("bob");
        long near = spawn(ada, 1, 10, 10, 0, 0);
        long far = spawn(ada, 2, 3000, 0, 0, 0);
        long own = spawn(bob, 3, 5000, 5000, 0, 0);
        bob.link().drain();

        view(bob, 0, 0, 100);

        assertThat(bob.link().messages).containsExactly(new Hidden(far));
        assertThat(bob.player().shown).containsExactlyInAnyOrder(near, own);
    }

    @Test
    void anObserverMovingItsViewGetsAppearedForNewlyVisibleAndHiddenForNoLongerVisible() {
        Member ada = join("ada");
        Member bob = join("bob");
        view(bob, 0, 0, 100);
        long a = spawn(ada, 1, 50, 0, 0, 0);
        long b = spawn(ada, 2, 250, 0, 0, 0);
        clock.addAndGet(10);
        bob.link().drain();

        view(bob, 200, 0, 100); // both at distance 150 / 50: a leaves, b enters

        assertThat(bob.link().messages).containsExactly(
                new Appeared(b, ada.number(), 7, 250f, 0f, 0f, 0f, T0 + 10, 0), new Hidden(a));
        bob.link().drain();
        view(bob, 200, 0, 100); // the same view again changes nothing
        tick(100);
        assertThat(bob.link().messages).isEmpty();
    }

    @Test
    void aViewChangeBetweenTicksSeesEntitiesThatDriftedSinceTheLastTick() {
        Member ada = join("ada");
        Member bob = join("bob");
        view(bob, 0, 0, 100);
        long id = spawn(ada, 1, 5000, 0, 2000, 0);
        tick(100); // filed at 5200
        clock.addAndGet(99); // now at 5398, filed 198 away
        bob.link().drain();
        view(bob, 5400, 0, 10);
        assertThat(bob.link().of(Appeared.class)).extracting(Appeared::id).containsExactly(id);
    }

    // ------------------------------------------------------------------ destroys

    @Test
    void aDestroyGoesOnlyToPlayersShownTheEntity() {
        Member ada = join("ada");
        Member bob = join("bob");
        Member carol = join("carol");
        view(bob, 0, 0, 100);
        view(carol, 1000, 0, 100);
        long id = spawn(ada, 1, 0, 0, 0, 0);
        drainAll(ada, bob, carol);

        destroy(ada, id);

        assertThat(bob.link().of(Destroyed.class)).extracting(Destroyed::id).containsExactly(id);
        assertThat(carol.link().messages).isEmpty();
        assertThat(bob.player().shown).doesNotContain(id);
    }

    @Test
    void anEntityDestroyedWhileHiddenIsNeverMentionedAgain() {
        Member ada = join("ada");
        Member bob = join("bob");
        view(bob, 0, 0, 100);
        long id = spawn(ada, 1, 0, 0, 0, 0);
        move(ada, id, 3000, 0, 0, 0);
        tick(100);
        assertThat(bob.link().of(Hidden.class)).containsExactly(new Hidden(id));
        bob.link().drain();

        destroy(ada, id);
        tick(100);
        view(bob, 3000, 0, 100);

        assertThat(bob.link().messages).isEmpty();
    }

    @Test
    void whenAnOwnerLeavesOnlyViewersShownItsEntitiesGetDestroyedButEveryoneGetsLeft() {
        Member ada = join("ada");
        Member bob = join("bob");
        Member carol = join("carol");
        view(bob, 0, 0, 100);
        view(carol, 1000, 0, 100);
        long near = spawn(ada, 1, 0, 0, 0, 0);
        spawn(ada, 2, 5000, 0, 0, 0);
        drainAll(ada, bob, carol);

        universe.disconnect(ada.player(), ada.link(), true);

        assertThat(types(bob)).containsExactly("destroyed", "left");
        assertThat(bob.link().of(Destroyed.class)).extracting(Destroyed::id).containsExactly(near);
        assertThat(types(carol)).containsExactly("left");
    }

    // ------------------------------------------------------------------ ticks

    @Test
    void eachEventOfATickIsHandedToTheFanoutOnceWithAllItsRecipients() {
        Member ada = join("ada");
        Member bob = join("bob");
        Member carol = join("carol");
        view(bob, 0, 0, 100);
        view(carol, 50, 0, 100);
        long id = spawn(ada, 1, 500, 0, 0, 0);
        move(ada, id, 30, 0, 0, 0);
        fanouts.clear();

        tick(100);

        assertThat(fanouts).containsExactly("appeared x2");
        move(ada, id, 5000, 0, 0, 0);
        fanouts.clear();
        tick(100);
        assertThat(fanouts).containsExactly("hidden x2");
    }

    @Test
    void aResumedViewerGetsAWelcomeWithOnlyItsAreaAndItsOwn() {
        Member ada = join("ada");
        Member bob = join("bob");
        long near = spawn(ada, 1, 10, 0, 0, 0);
        spawn(ada, 2, 5000, 0, 0, 0);
        long own = spawn(bob, 3, -7000, 0, 0, 0);
        view(bob, 0, 0, 100);
        universe.disconnect(bob.player(), bob.link(), false);
        tick(100);

        RecordingLink again = new RecordingLink("bob again");
        JoinResult result = universe.join(new PlayerIdentity("bob", "bob", false), again);

        assertThat(((JoinResult.Entered) result).resumed()).isTrue();
        assertThat(again.welcome().entities()).extracting(Appeared::id).containsExactlyInAnyOrder(near, own);
        tick(100);
        assertThat(again.messages).hasSize(1);
    }

    @Test
    void spectatorsMaySendAViewAndThenSeeOnlyTheirArea() {
        Member ada = join("ada");
        RecordingLink link = new RecordingLink("sam");
        Player sam = ((JoinResult.Entered) universe.join(new PlayerIdentity("sam", "sam", true), link)).player();
        assertThat(universe.apply(sam, link, new ClientMessage.View(0, 0, 100))).isNull();
        spawn(ada, 1, 0, 0, 0, 0);
        spawn(ada, 2, 5000, 0, 0, 0);
        assertThat(link.of(Appeared.class)).hasSize(1);
    }

    // ------------------------------------------------------------------ validation

    @Test
    void aBadRadiusIsABadMessageAndABadCentreIsOutOfBoundsAndNeitherChangesTheView() {
        Member ada = join("ada");
        view(ada, 0, 0, 100);
        for (float r : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 1000.1f}) {
            assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.View(0, 0, r)).code())
                    .as("r = %s", r).isEqualTo(ErrorCode.BAD_MESSAGE);
        }
        for (float c : new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 100_001f, -100_001f}) {
            assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.View(c, 0, 10)).code()).isEqualTo(ErrorCode.OUT_OF_BOUNDS);
            assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.View(0, c, 10)).code()).isEqualTo(ErrorCode.OUT_OF_BOUNDS);
        }
        assertThat(universe.apply(ada.player(), ada.link(), new ClientMessage.View(100_000, -100_000, 1000))).isNull();
        assertThat(ada.player().view).isEqualTo(new ViewArea(100_000, -100_000, 1000));
    }

    @Test
    void withoutInterestManagementAValidViewIsAcceptedAndIgnoredAndABadOneStillRefused() {
        universe = universe(new InterestSettings(false, 100, 1000));
        Member ada = join("ada");
        Member bob = join("bob");
        drainAll(ada, bob);
        assertThat(universe.apply(bob.player(), bob.link(), new ClientMessage.View(0, 0, 10))).isNull();
        assertThat(universe.apply(bob.player(), bob.link(), new ClientMessage.View(0, 0, 1001)).code()).isEqualTo(ErrorCode.BAD_MESSAGE);
        spawn(ada, 1, 5000, 5000, 0, 0);
        tick(100);
        assertThat(types(bob)).containsExactly("appeared");
        assertThat(bob.player().view).isNull();
    }

    // ------------------------------------------------------------------ helpers

    @Test
    void aSweepOverMoreViewersThanOneStepShowsEachOfThemWhatEnteredItsView() {
        int viewers = Universe.SWEEP_STEP * 2 + 7;
        List<Member> crowd = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            Member m = join("viewer" + i);
            view(m, i * 300, 0, 100); // each its own spot on a line
            crowd.add(m);
        }
        Member ada = join("ada");
        long ship = spawn(ada, 1, -300, 0, 300, 0); // flies along the line at 300 units/s
        fanouts.clear();
        drainAll(crowd.toArray(new Member[0]));

        tick(1000); // at 0: viewer0's spot
        assertThat(crowd.get(0).link().of(Appeared.class)).extracting(Appeared::id).containsExactly(ship);
        move(ada, ship, Universe.SWEEP_STEP * 300 + 150, 0, 0, 0); // jumps out of viewer0's, past the first step
        tick(100);
        move(ada, ship, (viewers - 1) * 300, 0, 0, 0); // then to the last viewer's spot, in the third step
        tick(100);
        assertThat(crowd.get(0).link().of(Hidden.class)).extracting(Hidden::id).containsExactly(ship);
        assertThat(crowd.get(Universe.SWEEP_STEP).link().of(Appeared.class)).isEmpty(); // 150 away: outside its 100
        assertThat(crowd.get(viewers - 1).link().of(Appeared.class)).extracting(Appeared::id).containsExactly(ship);
        for (int i = 1; i < viewers - 1; i++) {
            assertThat(crowd.get(i).link().of(ServerMessage.class)).as("viewer %d", i).isEmpty();
        }
        assertThat(fanouts).contains("appeared x1", "hidden x1");
    }

    // ------------------------------------------------------------------ what the observer (metrics) is told

    @Test
    void theObserverCountsAppearedAndHiddenPerPlayerByTheirTrigger() {
        List<String> observed = new ArrayList<>();
        universe = create("open-2", new UniverseSettings(LIMITS, 0, 10_000, INTEREST), (trigger, appeared, hidden) -> {
                    if (appeared > 0 || hidden > 0) {
                        observed.add(trigger + " +" + appeared + " -" + hidden);
                    }
                });
        Member ada = join("ada");
        Member bob = join("bob");
        Member carol = join("carol");
        long ship = spawn(ada, 1, 0, 0, 0, 0);
        spawn(ada, 2, 5000, 0, 0, 0);
        view(bob, 5000, 0, 100); // bob was shown both of ada's ships: one is hidden
        view(carol, 5000, 0, 100);
        assertThat(observed).containsExactly("VIEW +0 -1", "VIEW +0 -1");

        view(bob, 0, 0, 100); // bob turns to the first ship: one shown, one hidden
        assertThat(observed).endsWith("VIEW +1 -1");

        move(ada, ship, 4950, 0, 0, 0); // into carol's view, out of bob's: at the next tick, one of each, for two players
        tick(100);
        assertThat(observed).endsWith("TICK +1 -1");
        tick(100);
        assertThat(observed).hasSize(4); // nothing changed, nothing reported
    }
}
