package bench.interest;

/**
 * The world the pilots fly in: a rectangle centred on (0, 0), 3:2, sized so that a view of radius
 * r around a ship holds {@code others} other ships on average when the ships are spread
 * uniformly (which bouncing off the walls keeps them). The mean area of a disc of radius r whose
 * centre is uniform in a W x H rectangle, clipped to it, is
 * {@code pi r^2 - 4/3 r^3 (W + H) / (W H) + r^4 / (2 W H)} (for r below W/2 and H/2).
 */
final class Field {
    final double halfWidth;
    final double halfHeight;

    Field(double halfWidth, double halfHeight) {
        this.halfWidth = halfWidth;
        this.halfHeight = halfHeight;
    }

    static double meanClippedDisc(double r, double w, double h) {
        return Math.PI * r * r - 4.0 / 3.0 * r * r * r * (w + h) / (w * h) + r * r * r * r / (2 * w * h);
    }

    /** Expected number of other ships within r of a ship, for n ships uniform in w x h. */
    static double expectedOthers(int n, double r, double w, double h) {
        return (n - 1) * meanClippedDisc(r, w, h) / (w * h);
    }

    /** The 3:2 field for n ships where a view of radius r holds {@code others} others on average. */
    static Field forDensity(int n, double r, double others) {
        double lo = 2.05 * r; // height; the formula needs r < H/2
        double hi = 1e7;
        if (expectedOthers(n, r, 1.5 * lo, lo) < others) {
            return new Field(0.75 * lo, 0.5 * lo); // too few ships for that density: smallest valid field
        }
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (expectedOthers(n, r, 1.5 * mid, mid) > others) lo = mid; else hi = mid;
        }
        return new Field(0.75 * lo, 0.5 * lo);
    }
}
