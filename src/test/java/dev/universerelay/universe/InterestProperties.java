package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * The interest management invariant on random worlds, against a brute-force reference: each
 * member keeps the set of entities its messages say it knows, as a client would. A member is never
 * told of an entity it does not know (no {@code velocity}, {@code hidden} or {@code destroyed}
 * out of the blue, no second {@code appeared}), never misses a {@code destroyed} (what it knows
 * always exists), always knows its own entities, gets the {@code velocity} of every move of an
 * entity it knows, and right after a tick, a view change or a resume it knows exactly what a look
 * at every entity says its view contains.
 */
class InterestProperties {
    private static final LimitsInfo LIMITS = new LimitsInfo(30, 60, 6, 500, 10_000);

    enum Kind { SPAWN, MOVE, DESTROY, VIEW, TICK, WAIT, RESUME, REJOIN }

    record Action(Kind kind, int who, float a, float b, float c, float d, int pick) {
    }

    /** One member and what its client knows. */
    static final class Slot {
        final String subject;
        final boolean spectator;
        Player player;
        RecordingLink link;
        final Set<Long> known = new HashSet<>();
        /** The entities whose velocity it got in the current step. */
        final Set<Long> velocities = new HashSet<>();
        boolean hasView;

        Slot(String subject, boolean spectator) {
            this.subject = subject;
            this.spectator = spectator;
        }
    }

    @Property(tries = 500)
    void viewersAreToldExactlyAboutWhatTheyAreShown(@ForAll("actions") @Size(max = 80) List<Action> actions,
                                                      @ForAll("cellSizes") double cellSize) {
        AtomicLong clock = new AtomicLong(1_000_000);
        Universe universe = new Universe("open-fuzz", new UniverseSettings(LIMITS, 0, 60_000,
                new InterestSettings(true, cellSize, 2000)), clock::get, Fanout.EACH, () -> "token");
        List<Slot> slots = List.of(new Slot("ada", false), new Slot("bob", false), new Slot("cat", false), new Slot("sam", true));
        for (Slot slot : slots) {
            enter(universe, slot);
        }

        for (Action action : actions) {
            Slot slot = slots.get(action.who() % slots.size());
            Set<Slot> exact = new HashSet<>(); // members whose shown set was just recomputed
            Long moved = null; // the entity a move was applied to
            Set<Slot> knewMoved = new HashSet<>(); // the other members that knew it: each must get its velocity
            switch (action.kind()) {
                case SPAWN -> universe.apply(slot.player, slot.link,
                        new ClientMessage.Spawn(1, 1, action.a(), action.b(), action.c() / 2, action.d() / 2));
                case MOVE -> {
                    Long id = pick(slot, action.pick());
                    if (id != null) {
                        for (Slot other : slots) {
                            if (other != slot && other.known.contains(id)) {
                                knewMoved.add(other);
                            }
                        }
                        if (universe.apply(slot.player, slot.link, new ClientMessage.Move(id, action.a(), action.b(),
                                action.c() / 2, action.d() / 2)) == null) {
                            moved = id;
                        }
                    }
                }
                case DESTROY -> {
                    Long id = pick(slot, action.pick());
                    if (id != null && universe.apply(slot.player, slot.link, new ClientMessage.Destroy(id)) == null) {
                        slot.known.remove(id); // the destroyer gets no destroyed: its client forgets the entity itself
                    }
                }
                case VIEW -> {
                    // Centred near some entity, so that views do hold entities and their edges cut through cells.
                    List<Appeared> world = universe.entities();
                    float x = action.a() / 4;
                    float y = action.b() / 4;
                    if (!world.isEmpty()) {
                        Appeared e = world.get(action.pick() % world.size());
                        x += (float) (e.x() + (double) e.vx() * (clock.get() - e.serverTime()) / 1000.0);
                        y += (float) (e.y() + (double) e.vy() * (clock.get() - e.serverTime()) / 1000.0);
                    }
                    float r = Math.abs(action.c()) / 4 + 1;
                    assertThat(universe.apply(slot.player, slot.link, new ClientMessage.View(x, y, r))).isNull();
                    slot.hasView = true;
                    exact.add(slot);
                }
                case TICK -> {
                    clock.addAndGet(action.pick() % 300);
                    universe.sweepInterest();
                    exact.addAll(slots);
                }
                case WAIT -> clock.addAndGet(action.pick() % 300);
                case RESUME -> {
                    if (!slot.spectator) {
                        universe.disconnect(slot.player, slot.link, false);
                        enter(universe, slot);
                        exact.add(slot);
                    }
                }
                case REJOIN -> {
                    universe.disconnect(slot.player, slot.link, true);
                    slot.hasView = false;
                    enter(universe, slot);
                }
            }
            List<Appeared> world = universe.entities();
            Set<Long> live = new HashSet<>();
            world.forEach(e -> live.add(e.id()));
            for (Slot s : slots) {
                read(s);
                if (moved != null && knewMoved.contains(s)) {
                    assertThat(s.velocities).as("%s: velocity of %d it knows", s.subject, moved).contains(moved);
                }
                Set<Long> own = new HashSet<>(s.player.entityIds);
                assertThat(live).as("%s: entities it knows exist", s.subject).containsAll(s.known);
                assertThat(s.known).as("%s: it knows its own entities", s.subject).containsAll(own);
                if (!s.hasView) {
                    assertThat(s.known).as("%s without a view knows everything", s.subject).isEqualTo(live);
                } else if (exact.contains(s)) {
                    assertThat(s.known).as("%s after %s", s.subject, action).isEqualTo(reference(world, own, s.player.view, clock.get()));
                }
            }
        }
    }

    /** A look at every entity: the member's own, and those whose extrapolated position is in its view. */
    private static Set<Long> reference(List<Appeared> world, Set<Long> own, ViewArea view, long now) {
        Set<Long> visible = new HashSet<>(own);
        for (Appeared e : world) {
            double x = e.x() + (double) e.vx() * (now - e.serverTime()) / 1000.0;
            double y = e.y() + (double) e.vy() * (now - e.serverTime()) / 1000.0;
            double dx = x - view.x();
            double dy = y - view.y();
            if (dx * dx + dy * dy <= view.r() * view.r()) {
                visible.add(e.id());
            }
        }
        return visible;
    }

    private static void enter(Universe universe, Slot slot) {
        slot.link = new RecordingLink(slot.subject);
        slot.player = ((JoinResult.Entered) universe.join(new PlayerIdentity(slot.subject, slot.subject, slot.spectator), slot.link))
                .player();
    }

    private static Long pick(Slot slot, int pick) {
        List<Long> own = new ArrayList<>(slot.player.entityIds);
        return own.isEmpty() ? null : own.get(pick % own.size());
    }

    /** Applies what the member received to what its client knows, checking each message makes sense. */
    private static void read(Slot s) {
        s.velocities.clear();
        for (ServerMessage m : s.link.drain()) {
            if (m instanceof ServerMessage.Welcome w) {
                s.known.clear();
                w.entities().forEach(e -> s.known.add(e.id()));
            } else if (m instanceof Appeared a) {
                assertThat(s.known.add(a.id())).as("%s: appeared of %d it already knows", s.subject, a.id()).isTrue();
            } else if (m instanceof ServerMessage.Velocity v) {
                assertThat(s.known).as("%s: velocity of an entity it does not know", s.subject).contains(v.id());
                s.velocities.add(v.id());
            } else if (m instanceof ServerMessage.Hidden h) {
                assertThat(s.known.remove(h.id())).as("%s: hidden of %d it does not know", s.subject, h.id()).isTrue();
            } else if (m instanceof ServerMessage.Destroyed d) {
                assertThat(s.known.remove(d.id())).as("%s: destroyed of %d it does not know", s.subject, d.id()).isTrue();
            }
        }
    }

    @Provide
    Arbitrary<Double> cellSizes() {
        return Arbitraries.of(20.0, 50.0, 300.0, 1000.0);
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(6, Kind.SPAWN), Tuple.of(6, Kind.MOVE),
                Tuple.of(2, Kind.DESTROY), Tuple.of(4, Kind.VIEW),
                Tuple.of(5, Kind.TICK), Tuple.of(3, Kind.WAIT),
                Tuple.of(1, Kind.RESUME), Tuple.of(1, Kind.REJOIN));
        Arbitrary<Float> coordinate = Arbitraries.floats().between(-800, 800);
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 3), coordinate, coordinate, coordinate, coordinate,
                Arbitraries.integers().between(0, 10_000)).as(Action::new).list();
    }
}
