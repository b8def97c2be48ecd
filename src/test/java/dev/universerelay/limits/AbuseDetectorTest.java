package dev.universerelay.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Persistent abuse: by default 100 rejected messages within 10 s (protocol section 6). */
class AbuseDetectorTest {
    static final long MS = 1_000_000L;
    static final long T0 = 987_654_321_000L;

    @Test
    void aBurstOfRejectionsTripsOnTheHundredthWithinTheWindow() {
        AbuseDetector detector = new AbuseDetector(100, 10_000);
        for (int i = 1; i < 100; i++) {
            assertThat(detector.reject(T0 + i * MS)).as("rejection %d", i).isFalse();
        }
        assertThat(detector.reject(T0 + 100 * MS)).isTrue();
        // And stays tripped while the abuse goes on.
        assertThat(detector.reject(T0 + 101 * MS)).isTrue();
    }

    @Test
    void rejectionsSpreadOverMoreThanTheWindowNeverTrip() {
        AbuseDetector detector = new AbuseDetector(100, 10_000);
        // 101 ms apart: any 100 consecutive rejections span 99 * 101 ms = 9.999 s, inside the window.
        AbuseDetector tight = new AbuseDetector(100, 10_000);
        boolean tightTripped = false;
        for (int i = 0; i < 100; i++) {
            tightTripped = tight.reject(T0 + i * 101 * MS);
        }
        assertThat(tightTripped).isTrue();

        // 102 ms apart: 99 * 102 ms = 10.098 s, never 100 inside 10 s, however long it goes on.
        for (int i = 0; i < 10_000; i++) {
            assertThat(detector.reject(T0 + i * 102 * MS)).as("rejection %d", i).isFalse();
        }
    }

    @Test
    void theWindowSlides() {
        AbuseDetector detector = new AbuseDetector(100, 10_000);
        for (int i = 0; i < 99; i++) {
            assertThat(detector.reject(T0)).isFalse();
        }
        long later = T0 + 10_000 * MS; // exactly one window later: the old ones no longer count
        assertThat(detector.reject(later)).isFalse();
        // The last 100 are 98 old and 2 new, ... then 1 old and 99 new: all span the full window.
        for (int newOnes = 2; newOnes <= 99; newOnes++) {
            assertThat(detector.reject(later)).as("%d new rejections", newOnes).isFalse();
        }
        // 100 new ones: tripped.
        assertThat(detector.reject(later)).isTrue();
    }

    @Test
    void oldRejectionsAgeOutAndTheCountStartsAgain() {
        AbuseDetector detector = new AbuseDetector(5, 1_000);
        for (int i = 0; i < 4; i++) {
            assertThat(detector.reject(T0)).isFalse();
        }
        long later = T0 + 5_000 * MS;
        for (int i = 0; i < 4; i++) {
            assertThat(detector.reject(later + i * MS)).isFalse();
        }
        assertThat(detector.reject(later + 4 * MS)).isTrue();
    }

    @Test
    void justInsideAndJustOutsideTheWindow() {
        AbuseDetector inside = new AbuseDetector(2, 1_000);
        assertThat(inside.reject(T0)).isFalse();
        assertThat(inside.reject(T0 + 1_000 * MS - 1)).isTrue();

        AbuseDetector outside = new AbuseDetector(2, 1_000);
        assertThat(outside.reject(T0)).isFalse();
        assertThat(outside.reject(T0 + 1_000 * MS)).isFalse();
    }

    @Test
    void aLimitOfOneTripsOnEveryRejection() {
        AbuseDetector detector = new AbuseDetector(1, 10_000);
        assertThat(detector.reject(T0)).isTrue();
        assertThat(detector.reject(T0 + 60_000 * MS)).isTrue();
    }

    @Test
    void aLimitBelowOneIsTreatedAsOne() {
        AbuseDetector detector = new AbuseDetector(0, 10_000);
        assertThat(detector.reject(T0)).isTrue();
    }
}
