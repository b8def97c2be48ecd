package dev.universerelay.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Universes created per address and identity: per minute, and held while they exist. */
class UniverseCreationsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Set<String> existing = new HashSet<>();

    @Test
    void aCreationCountsWhileItsUniverseExistsOrIsOnItsWay() {
        UniverseCreations creations = new UniverseCreations(100, 2, 1000, now::get);
        assertThat(creations.tryCreate("u1", "addr", "s1", existing::contains)).isNull();
        assertThat(creations.tryCreate("u2", "addr", "s2", existing::contains)).isNull();
        assertThat(creations.tryCreate("u3", "addr", "s3", existing::contains)).contains("your address holds 2");
        now.addAndGet(UniverseCreations.PENDING_NANOS); // neither universe ever appeared: the handshakes failed
        assertThat(creations.heldByAddress("addr", existing::contains)).isZero();
        assertThat(creations.tryCreate("u3", "addr", "s3", existing::contains)).isNull();
        existing.add("u3");
        creations.arrived("u3");
        now.addAndGet(UniverseCreations.PENDING_NANOS);
        assertThat(creations.heldByAddress("addr", existing::contains)).isOne();
        existing.remove("u3"); // it emptied: the creation stops counting at once
        assertThat(creations.heldByAddress("addr", existing::contains)).isZero();
        assertThat(creations.remembered()).isZero();
    }

    @Test
    void aNameCreatedAgainBySomeoneElseCountsForTheNewCreatorOnly() {
        UniverseCreations creations = new UniverseCreations(100, 5, 1000, now::get);
        creations.tryCreate("shared", "first", "s1", existing::contains);
        creations.arrived("shared");
        creations.tryCreate("shared", "second", "s2", existing::contains); // it was gone and came back
        assertThat(creations.heldByAddress("first", existing::contains)).isZero();
        assertThat(creations.heldByAddress("second", existing::contains)).isOne();
    }

    @Test
    void perMinuteCountsCreationsEvenOfUniversesThatAreGone() {
        UniverseCreations creations = new UniverseCreations(3, 100, 1000, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(creations.tryCreate("m" + i, "addr", "s" + i, existing::contains)).isNull();
        }
        assertThat(creations.tryCreate("m3", "addr", "s3", existing::contains)).contains("in the last minute");
        assertThat(creations.tryCreate("m3", "other", "s3", existing::contains)).isNull();
        now.addAndGet(20_000_000_000L); // a third of a minute: one more
        assertThat(creations.tryCreate("m4", "addr", "s4", existing::contains)).isNull();
    }
}
