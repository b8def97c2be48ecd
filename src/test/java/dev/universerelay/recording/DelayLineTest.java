package dev.universerelay.recording;

import static dev.universerelay.recording.RecordingFileTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ReplayCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.PlayerInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A delayed spectator sees the universe exactly its delay behind, from the in-memory line, on a clock the test moves. */
class DelayLineTest {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final AtomicLong clock = new AtomicLong(T0);
    final List<ServerMessage> seen = new CopyOnWriteArrayList<>();
    final ReplayViewer viewer = new ReplayViewer() {
        @Override
        public void send(ServerMessage message) {
            seen.add(message);
        }

        @Override
        public void status(ReplayCodec.Status status) {
        }
    };

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void a_delayed_spectator_gets_its_welcome_once_the_line_reaches_back_far_enough_then_each_event_its_delay_late() {
        DelayLine line = new DelayLine(60_000);
        line.started("alpha", T0, List.of(new PlayerInfo(1, "ada")), List.of(new Appeared(3, 1, 2, 0, 0, 1, 1, T0, 0)));
        for (Recorded.Event e : RecordingFileTest.script()) {
            line.event(e.message(), e.time());
        }
        AtomicBoolean over = new AtomicBoolean();
        DelayedView view = new DelayedView(line, 10_000, viewer, "alpha", "sam", null, clock::get, () -> over.set(true));
        clock.set(T0 + 9_000); // 1 s before the line reaches back 10 s
        view.start(scheduler);
        assertThat(view.pong(1).serverTime()).isEqualTo(T0 - 1_000);

        clock.set(T0 + 12_000); // the spectator sees T0 + 2000
        var welcome = (ServerMessage.Welcome) await().atMost(Duration.ofSeconds(5)).until(() -> seen.isEmpty() ? null : seen.get(0), m -> m != null);
        assertThat(welcome.serverTime()).isBetween(T0 + 2000, T0 + 2000 + 0); // the clock stands still: exactly
        assertThat(welcome.players()).extracting(PlayerInfo::name).containsExactly("ada", "bob");
        assertThat(welcome.entities()).extracting(Appeared::id).containsExactly(3L, 7L);
        assertThat(welcome.entities().get(1).x()).isEqualTo(10 + 18 * 3);

        clock.set(T0 + 12_950); // T0 + 2950: up to the velocity of T0 + 2900
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1 + 9);
        assertThat(((ServerMessage.Velocity) seen.get(seen.size() - 1)).serverTime()).isEqualTo(T0 + 2900);

        line.ended(T0 + 3500);
        clock.set(T0 + 13_500);
        await().atMost(Duration.ofSeconds(5)).untilTrue(over);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(new ServerMessage.Left(2));
        assertThat(view.control(new ReplayCodec.Control(2.0, null, null))).contains("no replay controls");
        assertThat(view.stop()).isTrue();
        assertThat(view.stop()).isFalse();
    }

    @Test
    void the_line_forgets_what_is_older_than_its_window_but_keeps_its_state() {
        DelayLine line = new DelayLine(1_000);
        line.started("alpha", T0, List.of(new PlayerInfo(1, "ada")), List.of());
        line.event(new ServerMessage.Appeared(9, 1, 1, 5, 5, 0, 0, T0 + 10, 0), T0 + 10);
        for (int i = 1; i <= 2000; i++) {
            line.event(new ServerMessage.Velocity(9, i, 5, 0, 0, T0 + 10 + i), T0 + 10 + i);
        }
        assertThat(line.startAt(T0 + 500)).isNull(); // folded away
        DelayLine.Start start = line.startAt(T0 + 1500);
        assertThat(start.state().entities()).singleElement().satisfies(a -> assertThat(a.x()).isEqualTo(1490));
        List<Recorded> next = new java.util.ArrayList<>();
        line.read(start.nextSeq(), T0 + 1512, next);
        assertThat(next).extracting(Recorded::time).containsExactly(T0 + 1501, T0 + 1502, T0 + 1503, T0 + 1504, T0 + 1505,
                T0 + 1506, T0 + 1507, T0 + 1508, T0 + 1509, T0 + 1510, T0 + 1511, T0 + 1512);
    }
}
