package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The uniform grid behind interest management: cells, moves between them, and what a query returns. */
class SpatialGridTest {
    final SpatialGrid grid = new SpatialGrid(100);

    List<Long> near(double x, double y, double r) {
        List<Long> ids = new ArrayList<>();
        grid.forEachNear(x, y, r, ids::add);
        return ids;
    }

    @Test
    void findsEntitiesInTheCellsTheSquareTouchesAndNoFarOnes() {
        grid.place(1, 50, 50);
        grid.place(2, 150, 50);
        grid.place(3, 950, 950);
        assertThat(near(50, 50, 10)).containsExactly(1L);
        assertThat(near(95, 50, 10)).containsExactlyInAnyOrder(1L, 2L);
        assertThat(near(850, 850, 10)).isEmpty();
        assertThat(near(500, 500, 500)).containsExactlyInAnyOrder(1L, 2L, 3L);
    }

    @Test
    void anEntityMovingAcrossCellsIsFoundOnlyWhereItIsNow() {
        grid.place(1, 50, 50);
        grid.place(1, 450, 50);
        assertThat(near(50, 50, 10)).isEmpty();
        assertThat(near(450, 50, 10)).containsExactly(1L);
        grid.place(1, 460, 60); // same cell
        assertThat(near(450, 50, 10)).containsExactly(1L);
        assertThat(near(0, 0, 10_000)).containsExactly(1L); // filed once, not once per cell it visited
    }

    @Test
    void removedEntitiesAreGone() {
        grid.place(1, 50, 50);
        grid.place(2, 60, 60);
        grid.remove(1);
        grid.remove(99);
        assertThat(near(50, 50, 10)).containsExactly(2L);
        grid.remove(2);
        assertThat(near(50, 50, 10)).isEmpty();
        assertThat(near(0, 0, 10_000)).isEmpty();
    }

    @Test
    void negativeCoordinatesFallIntoTheirOwnCells() {
        grid.place(1, -1, -1);
        grid.place(2, 1, 1);
        assertThat(near(-50, -50, 10)).containsExactly(1L);
        assertThat(near(50, 50, 10)).containsExactly(2L);
        assertThat(near(0, 0, 1)).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void aSquareWiderThanTheOccupiedCellsGivesTheSameAnswerAsACellByCellLook() {
        for (int i = 0; i < 50; i++) {
            grid.place(i, i * 37 % 1000 - 500, i * 91 % 1000 - 500);
        }
        // 1 cell wide: looked up cell by cell; 201 x 201 cells: the occupied cells are scanned instead.
        List<Long> bySquare = near(0, 0, 10_000);
        assertThat(bySquare).hasSize(50);
        List<Long> small = near(-500, -500, 40);
        assertThat(small).allMatch(id -> id * 37 % 1000 - 500 < -400 && id * 91 % 1000 - 500 < -400);
    }

    @Test
    void positionsFarOutsideTheWorldSaturateInsteadOfWrappingAround() {
        grid.place(1, 1e30, -1e30);
        grid.place(2, 0, 0);
        assertThat(near(0, 0, 10)).containsExactly(2L);
        assertThat(near(1e30, -1e30, 10)).containsExactly(1L);
    }

    @Test
    void theCellSizeMustBePositive() {
        assertThatThrownBy(() -> new SpatialGrid(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpatialGrid(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cellKeysAreUniqueAndSpreadOverHashBins() {
        java.util.Set<Long> keys = new java.util.HashSet<>();
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        for (int cx = -20; cx < 20; cx++) {
            for (int cy = -14; cy < 14; cy++) {
                long key = SpatialGrid.key(cx, cy);
                keys.add(key);
                hashes.add(Long.hashCode(key));
            }
        }
        assertThat(keys).hasSize(40 * 28);
        // packed without mixing, Long.hashCode is cx ^ cy: 64 distinct values for these 1,120 cells
        assertThat(hashes).hasSizeGreaterThan(40 * 28 - 5);
    }
}
