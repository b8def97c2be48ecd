package dev.universerelay.universe;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Entity ids filed by square cell of a uniform grid, so that finding what lies near a point costs
 * the cells around it instead of a look at every entity of the universe. Positions far outside
 * the world (long extrapolations) saturate into the outermost cells. Not thread-safe: used under
 * its universe's lock.
 */
final class SpatialGrid {
    private final double cellSize;
    private final Map<Long, Cell> cells = new HashMap<>();
    private final Map<Long, Long> cellOf = new HashMap<>();

    SpatialGrid(double cellSize) {
        if (!(cellSize > 0) || Double.isInfinite(cellSize)) {
            throw new IllegalArgumentException("cell size must be positive and finite: " + cellSize);
        }
        this.cellSize = cellSize;
    }

    /** Files an entity at a position, moving it out of its previous cell. */
    void place(long id, double x, double y) {
        long cell = key(cell(x), cell(y));
        Long previous = cellOf.put(id, cell);
        if (previous != null) {
            if (previous == cell) {
                return;
            }
            leave(previous, id);
        }
        cells.computeIfAbsent(cell, k -> new Cell(cell(x), cell(y))).ids.add(id);
    }

    void remove(long id) {
        Long previous = cellOf.remove(id);
        if (previous != null) {
            leave(previous, id);
        }
    }

    /**
     * Calls back every id filed in a cell that the square of half side {@code r} around
     * {@code (x, y)} touches: every entity within {@code r}, and some beyond it.
     */
    void forEachNear(double x, double y, double r, LongConsumer action) {
        long minX = cell(x - r);
        long maxX = cell(x + r);
        long minY = cell(y - r);
        long maxY = cell(y + r);
        if ((maxX - minX + 1) * (maxY - minY + 1) > cells.size()) {
            for (Cell cell : cells.values()) {
                if (cell.cx >= minX && cell.cx <= maxX && cell.cy >= minY && cell.cy <= maxY) {
                    cell.ids.forEach(action::accept);
                }
            }
            return;
        }
        for (long cx = minX; cx <= maxX; cx++) {
            for (long cy = minY; cy <= maxY; cy++) {
                Cell cell = cells.get(key((int) cx, (int) cy));
                if (cell != null) {
                    cell.ids.forEach(action::accept);
                }
            }
        }
    }

    private void leave(long cell, long id) {
        Set<Long> ids = cells.get(cell).ids;
        ids.remove(id);
        if (ids.isEmpty()) {
            cells.remove(cell);
        }
    }

    /** The cell column or row of a coordinate; the cast saturates at the int range. */
    private int cell(double coordinate) {
        return (int) Math.floor(coordinate / cellSize);
    }

    /**
     * A cell's key in the map: its column and row packed into a long, then multiplied by an odd
     * constant (a bijection, so keys stay unique). Without the multiplication {@code Long.hashCode}
     * would be {@code cx ^ cy}, which files every diagonal of cells in one hash bin: a grid of
     * 40 x 28 cells had a few dozen distinct hashes and its look-ups walked treeified bins.
     */
    static long key(int cx, int cy) {
        return (((long) cx << 32) | (cy & 0xFFFF_FFFFL)) * 0x9E37_79B9_7F4A_7C15L;
    }

    /** One cell: where it is, and the ids filed in it. */
    private static final class Cell {
        final int cx;
        final int cy;
        final Set<Long> ids = new HashSet<>();

        Cell(int cx, int cy) {
            this.cx = cx;
            this.cy = cy;
        }
    }
}
