package dev.universerelay.universe;

/**
 * Whether a universe sends each player only what its {@code view} contains (docs/protocol.md
 * section 13), and how. The largest radius applies even where interest management is off, so
 * that a client learns of a bad {@code view} in every universe.
 *
 * @param enabled       interest management is on for this universe
 * @param cellSize      side of a cell of the spatial grid, in world units
 * @param maxViewRadius largest {@code r} of a {@code view}
 */
public record InterestSettings(boolean enabled, double cellSize, double maxViewRadius) {

    /** Off, with the documented defaults of the configuration keys. */
    public static final InterestSettings OFF = new InterestSettings(false, 1000, 10_000);

    public InterestSettings {
        if (!(cellSize > 0) || !(maxViewRadius > 0)) {
            throw new IllegalArgumentException("cell size and largest view radius must be positive");
        }
    }
}
