package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import dev.universerelay.protocol.ServerMessage.PlayerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A {@link UniverseTap} gets the universe's whole story: its state when attached, then every
 * change with its server time, under interest management too (what no single player is shown),
 * and the end when the universe closes; never after it is detached.
 */
class UniverseTapTest {
    static final long T0 = 1_763_830_000_000L;
    final AtomicLong clock = new AtomicLong(T0);
    final List<String> tapped = new ArrayList<>();

    final UniverseTap tap = new UniverseTap() {
        @Override
        public void started(String universe, long serverTime, List<PlayerInfo> players, List<Appeared> entities) {
            tapped.add("started " + universe + " @" + (serverTime - T0) + " players=" + players.stream().map(PlayerInfo::name).toList()
                    + " entities=" + entities.size());
        }

        @Override
        public void event(ServerMessage message, long serverTime) {
            tapped.add(message.type() + " @" + (serverTime - T0));
        }

        @Override
        public void ended(long serverTime) {
            tapped.add("ended @" + (serverTime - T0));
        }
    };

    Universe universe(boolean interest) {
        return new Universe("open-1", new UniverseSettings(new LimitsInfo(30, 60, 8, 2000, 100_000), 0, 10_000,
                new InterestSettings(interest, 100, 1000)), clock::get, Fanout.EACH, () -> "resume");
    }

    Player join(Universe u, String name, RecordingLink link) {
        return ((JoinResult.Entered) u.join(new PlayerIdentity(name, name, false), link)).player();
    }

    @Test
    void a_tap_gets_the_whole_stream_even_what_interest_management_shows_nobody() {
        Universe u = universe(true);
        RecordingLink adaLink = new RecordingLink("ada");
        RecordingLink bobLink = new RecordingLink("bob");
        Player ada = join(u, "ada", adaLink);
        u.attach(tap);
        Player bob = join(u, "bob", bobLink);
        assertThat(u.apply(bob, bobLink, new ClientMessage.View(9000, 9000, 100))).isNull(); // bob looks far away
        clock.addAndGet(50);
        assertThat(u.apply(ada, adaLink, new ClientMessage.Spawn(1, 3, 0, 0, 10, 0))).isNull();
        long ship = adaLink.of(Appeared.class).get(0).id();
        clock.addAndGet(50);
        assertThat(u.apply(ada, adaLink, new ClientMessage.Move(ship, 1, 0, 20, 0))).isNull();
        clock.addAndGet(50);
        assertThat(u.apply(ada, adaLink, new ClientMessage.Destroy(ship))).isNull();
        assertThat(bobLink.of(Appeared.class)).isEmpty(); // bob was shown none of it

        u.disconnect(bob, bobLink, true);
        u.detach(tap);
        u.disconnect(ada, adaLink, true); // after the detach: not told
        assertThat(tapped).containsExactly("started open-1 @0 players=[ada] entities=0", "joined @0",
                "appeared @50", "velocity @100", "destroyed @150", "left @150");
    }

    @Test
    void a_tap_learns_the_state_when_attached_and_the_end_when_the_universe_closes() {
        Universe u = universe(false);
        RecordingLink adaLink = new RecordingLink("ada");
        Player ada = join(u, "ada", adaLink);
        assertThat(u.apply(ada, adaLink, new ClientMessage.Spawn(1, 3, 5, 5, 0, 0))).isNull();
        clock.addAndGet(10);
        u.attach(tap);
        u.disconnect(ada, adaLink, true);
        assertThat(tapped).containsExactly("started open-1 @10 players=[ada] entities=1", "destroyed @10", "left @10", "ended @10");
        tapped.clear();
        u.attach(tap); // a closed universe: started and ended at once
        assertThat(tapped).containsExactly("started open-1 @10 players=[] entities=0", "ended @10");
    }
}
