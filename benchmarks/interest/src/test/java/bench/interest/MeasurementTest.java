package bench.interest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What the benchmark's numbers rest on: sequence numbers in positions, the shown sets, the field's density. */
class MeasurementTest {

    @Test
    void everySequenceNumberSurvivesFloat32PositionsAnywhereInTheField() {
        SplittableRandom random = new SplittableRandom(3);
        for (int seq = 0; seq < Pilot.SEQS; seq++) {
            double x = (random.nextDouble() * 2 - 1) * 99_000;
            double y = (random.nextDouble() * 2 - 1) * 99_000;
            float ex = Pilot.encode(x, seq & 63);
            float ey = Pilot.encode(y, seq >> 6);
            assertEquals(seq, Pilot.decodeSeq(ex, ey), "seq " + seq + " at " + x + ", " + y);
            assertTrue(Math.abs(ex - x) < 1 && Math.abs(ey - y) < 1, "the position moves by less than a unit");
        }
    }

    @Test
    void theShownMapAgreesWithAHashMapThroughPutsAndRemoves() {
        IntIntMap map = new IntIntMap();
        Map<Integer, Integer> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            int key = 1 + random.nextInt(300);
            if (random.nextInt(3) == 0) {
                assertEquals(reference.remove(key) != null, map.remove(key));
            } else {
                int value = random.nextInt(1000) - 1;
                reference.put(key, value);
                map.put(key, value);
            }
            int probe = 1 + random.nextInt(300);
            assertEquals(reference.getOrDefault(probe, IntIntMap.ABSENT), map.get(probe));
            assertEquals(reference.size(), map.size());
        }
    }

    @Test
    void theFieldGivesTheAskedNumberOfOthersPerViewForUniformShips() {
        int n = 1000;
        double r = 2000;
        Field field = Field.forDensity(n, r, 20);
        assertEquals(1.5, field.halfWidth / field.halfHeight, 1e-9);
        // Monte Carlo: ships uniform in the field, count the others within r of each
        SplittableRandom random = new SplittableRandom(11);
        double[] xs = new double[n];
        double[] ys = new double[n];
        long seen = 0;
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < n; i++) {
                xs[i] = (random.nextDouble() * 2 - 1) * field.halfWidth;
                ys[i] = (random.nextDouble() * 2 - 1) * field.halfHeight;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i != j && Math.hypot(xs[i] - xs[j], ys[i] - ys[j]) <= r) seen++;
                }
            }
        }
        assertEquals(20, (double) seen / (n * rounds), 0.4);
        assertFalse(Field.forDensity(5, r, 20).halfHeight < r, "a tiny universe still gets a field larger than a view");
    }
}
