package dev.universerelay.universe;

import static dev.universerelay.universe.UniverseParts.link;
import static dev.universerelay.universe.UniverseParts.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The two visibility strategies on their own: who each tells of a spawn, a move and a destroy, and
 * (interest management) that {@link Player#shown} and {@link Entity#watchers} stay mirror images
 * whatever happens.
 */
class VisibilityTest {
    static final LimitsInfo LIMITS = new LimitsInfo(30, 60, 50, 100, 10_000);

    static UniverseParts parts(boolean interest) {
        return new UniverseParts(new UniverseSettings(LIMITS, 0, 10_000, new InterestSettings(interest, 100, 1000)));
    }

    @Test
    void withoutInterestManagementEveryMemberServedHereIsToldButTheMover() {
        UniverseParts u = parts(false);
        assertThat(u.visibility).isInstanceOf(EveryoneSeesAll.class);
        Player ada = u.join("ada", false);
        Player bob = u.join("bob", false);
        Player sue = u.join("sue", true);
        Player gone = u.join("gone", false);
        RecordingLink gones = link(gone);
        u.membership.disconnect(gone, true);
        u.membership.mirror(new ReplicatedChange.MemberJoined(99, "far", "far")); // another node's: no link here
        List.of(ada, bob, sue).forEach(p -> link(p).drain());

        Entity ship = u.spawn(ada, 1, 2);
        u.world.set(ship, 3, 4, 0, 0, u.clock.get(), ada);
        u.world.destroy(ship, u.clock.get(), null);

        assertThat(types(ada)).containsExactly("appeared", "destroyed");
        assertThat(types(bob)).containsExactly("appeared", "velocity", "destroyed");
        assertThat(types(sue)).containsExactly("appeared", "velocity", "destroyed");
        assertThat(gones.messages).extracting(ServerMessage::type).containsExactly("welcome");
    }

    @Test
    void withoutInterestManagementAViewIsIgnoredAndThereIsNothingToSweep() {
        UniverseParts u = parts(false);
        Player ada = u.join("ada", false);
        u.spawn(ada, 5000, 5000);
        assertThat(u.visibility.view(ada, new ViewArea(0, 0, 10), u.clock.get())).isFalse();
        assertThat(ada.view).isNull();
        assertThat(u.visibility.viewersToSweep(u.clock.get())).isEmpty();
        assertThat(u.visibility.snapshotFor(ada, u.clock.get())).hasSize(1);
        u.visibility.remoteView(ada, new ViewArea(0, 0, 10));
        assertThat(ada.view).isNull();
    }

    @Test
    void withInterestManagementAViewerIsToldOnlyAboutWhatItIsShown() {
        UniverseParts u = parts(true);
        assertThat(u.visibility).isInstanceOf(InterestManagement.class);
        Player ada = u.join("ada", false);
        Player bob = u.join("bob", false);
        u.visibility.view(bob, new ViewArea(0, 0, 100), u.clock.get());
        link(ada).drain();
        link(bob).drain();

        Entity near = u.spawn(ada, 50, 0);
        Entity far = u.spawn(ada, 500, 0);
        assertThat(bob.shown).containsExactly(near.id);
        assertThat(types(bob)).containsExactly("appeared");
        assertMirror(u);

        u.world.set(near, 500, 0, 0, 0, u.clock.get(), ada); // out of bob's area: still shown until the sweep
        u.world.set(far, 600, 0, 0, 0, u.clock.get(), ada);
        assertThat(types(bob)).containsExactly("appeared", "velocity");
        u.visibility.sweep(u.visibility.viewersToSweep(u.clock.get()), u.clock.get());
        assertThat(types(bob)).containsExactly("appeared", "velocity", "hidden");
        assertThat(bob.shown).isEmpty();
        assertMirror(u);

        u.world.destroy(far, u.clock.get(), null);
        assertThat(types(bob)).hasSize(3);
        assertThat(types(ada)).containsExactly("appeared", "appeared", "destroyed");
        assertMirror(u);
    }

    @Test
    void aMemberThatLeavesOrMovesAwayIsShownNothingButKeepsItsView() {
        UniverseParts u = parts(true);
        Player ada = u.join("ada", false);
        Player bob = u.join("bob", false);
        u.visibility.view(bob, new ViewArea(0, 0, 100), u.clock.get());
        u.spawn(ada, 10, 0);
        u.spawn(bob, 20, 0);
        assertThat(bob.shown).hasSize(2);

        u.visibility.left(bob);
        assertThat(bob.shown).isEmpty();
        assertThat(bob.view).isEqualTo(new ViewArea(0, 0, 100));
        assertMirror(u);

        link(bob).drain();
        u.visibility.entered(bob); // back, with its view: its welcome shows its area again
        assertThat(u.visibility.snapshotFor(bob, u.clock.get())).hasSize(2);
        assertThat(bob.shown).hasSize(2);
        assertMirror(u);
    }

    /**
     * Random spawns, moves, destroys, views, sweeps, departures and returns, by three members and
     * a spectator: after each, every id a member is shown names an entity that has the member among
     * its watchers, and every watcher of an entity is shown it.
     */
    @Property(tries = 300)
    void theTwoWayIndexIsAlwaysAMirror(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 99_999) Integer> steps) {
        UniverseParts u = parts(true);
        List<Player> members = List.of(u.join("a", false), u.join("b", false), u.join("c", false), u.join("s", true));
        for (int step : steps) {
            Player who = members.get(step % members.size());
            float x = (step / 7 % 40) * 25 - 500;
            float y = (step / 280 % 40) * 25 - 500;
            List<Entity> all = List.copyOf(u.entities.all());
            switch (step / 11 % 7) {
                case 0 -> {
                    if (!who.isSpectator() && who.link != null) {
                        u.spawn(who, x, y);
                    }
                }
                case 1 -> {
                    if (!all.isEmpty()) {
                        Entity e = all.get(step % all.size());
                        u.world.set(e, x, y, (step % 3) * 10, 0, u.clock.get(), e.owner);
                    }
                }
                case 2 -> {
                    if (!all.isEmpty()) {
                        u.world.destroy(all.get(step % all.size()), u.clock.get(), null);
                    }
                }
                case 3 -> {
                    if (who.link != null) {
                        u.visibility.view(who, new ViewArea(x, y, 50 + step % 300), u.clock.get());
                    }
                }
                case 4 -> {
                    u.clock.addAndGet(step % 2000);
                    u.visibility.sweep(u.visibility.viewersToSweep(u.clock.get()), u.clock.get());
                }
                case 5 -> u.visibility.left(who);
                default -> {
                    u.visibility.entered(who);
                    u.visibility.snapshotFor(who, u.clock.get());
                }
            }
            assertMirror(u);
        }
    }

    /** {@link Player#shown} and {@link Entity#watchers} say the same, and only members with a view watch. */
    static void assertMirror(UniverseParts u) {
        for (Player p : u.roster.everyone()) {
            for (Long id : p.shown) {
                Entity e = u.entities.get(id);
                assertThat(e).as("%s is shown %d, which does not exist", p, id).isNotNull();
                assertThat(e.watchers).as("watchers of %d", id).contains(p);
            }
        }
        for (Entity e : u.entities.all()) {
            for (Player w : e.watchers) {
                assertThat(w.shown).as("%s watches %d", w, e.id).contains(e.id);
                assertThat(w.view).as("%s watches without a view", w).isNotNull();
            }
        }
    }
}
