package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random action sequences from two players never throw out of the universe, never break its
 * invariants, and a refused action never changes a thing.
 */
class UniverseFuzzProperties {
    private static final LimitsInfo LIMITS = new LimitsInfo(30, 60, 5, 100, 1000);

    record Action(boolean byFirst, ClientMessage message) {
    }

    @Property(tries = 300)
    void randomActionsKeepTheUniverseConsistent(@ForAll("actions") @Size(max = 60) List<Action> actions) {
        AtomicLong clock = new AtomicLong(1_000);
        Universe universe = new Universe("fuzz", new UniverseSettings(LIMITS, 0, 1000), clock::get, Fanout.EACH,
                () -> "token");
        RecordingLink ada = new RecordingLink("ada");
        RecordingLink bob = new RecordingLink("bob");
        Player first = ((JoinResult.Entered) universe.join(new PlayerIdentity("ada", "ada", false), ada)).player();
        Player second = ((JoinResult.Entered) universe.join(new PlayerIdentity("bob", "bob", false), bob)).player();

        for (Action action : actions) {
            clock.addAndGet(10);
            List<ServerMessage.Appeared> before = universe.entities();
            ada.drain();
            bob.drain();
            Player actor = action.byFirst() ? first : second;
            Rejection rejection = universe.apply(actor, action.byFirst() ? ada : bob, action.message());
            if (rejection != null) {
                assertThat(rejection.code()).isIn(ErrorCode.OUT_OF_BOUNDS, ErrorCode.TOO_FAST, ErrorCode.NOT_OWNER,
                        ErrorCode.UNKNOWN_ENTITY, ErrorCode.TOO_MANY_ENTITIES);
                assertThat(universe.entities()).isEqualTo(before);
                assertThat(ada.messages).isEmpty();
                assertThat(bob.messages).isEmpty();
            }
            for (ServerMessage.Appeared e : universe.entities()) {
                assertThat(Math.abs(e.x())).isLessThanOrEqualTo(1000f);
                assertThat(Math.abs(e.y())).isLessThanOrEqualTo(1000f);
                assertThat(Math.hypot(e.vx(), e.vy())).isLessThanOrEqualTo(100.0);
                assertThat(e.owner()).isIn(first.number(), second.number());
            }
            assertThat(universe.entities().stream().filter(e -> e.owner() == first.number()).count()).isLessThanOrEqualTo(5);
            assertThat(universe.entities().stream().filter(e -> e.owner() == second.number()).count()).isLessThanOrEqualTo(5);
        }
        universe.disconnect(first, ada, true);
        assertThat(universe.entities()).allMatch(e -> e.owner() == second.number());
        assertThat(universe.disconnect(second, bob, true)).isTrue();
        assertThat(universe.entities()).isEmpty();
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Long> ids = Arbitraries.longs().between(0, 12);
        Arbitrary<Float> coordinate = Arbitraries.oneOf(Arbitraries.floats().between(-1500, 1500),
                Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, -1000f, 1000f, 1000.0001f));
        Arbitrary<Float> speed = Arbitraries.oneOf(Arbitraries.floats().between(-120, 120), Arbitraries.of(Float.NaN, 100f));
        Arbitrary<ClientMessage> spawn = Combinators.combine(ids, coordinate, coordinate, speed, speed)
                .as((ref, x, y, vx, vy) -> new ClientMessage.Spawn(ref, 1, x, y, vx, vy));
        Arbitrary<ClientMessage> move = Combinators.combine(ids, coordinate, coordinate, speed, speed).as(ClientMessage.Move::new);
        Arbitrary<ClientMessage> destroy = ids.map(ClientMessage.Destroy::new);
        Arbitrary<Action> action = Combinators.combine(Arbitraries.of(true, false), Arbitraries.oneOf(spawn, spawn, move, destroy))
                .as(Action::new);
        return action.list();
    }
}
