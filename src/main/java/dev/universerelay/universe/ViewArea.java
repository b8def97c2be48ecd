package dev.universerelay.universe;

/**
 * The circle a player asked to see with a {@code view} (interest management): entities whose
 * position is within {@code r} of the centre, edge included.
 */
record ViewArea(double x, double y, double r) {

    boolean contains(double px, double py) {
        double dx = px - x;
        double dy = py - y;
        return dx * dx + dy * dy <= r * r;
    }
}
