package dev.universerelay.universe;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the entities of one universe are, to answer "what does this view contain?" without a
 * look at every entity. The grid is refreshed with extrapolated positions on every sweep and
 * on every spawn and move; between sweeps an entity drifts at most {@code maxSpeed} per second
 * from where it is filed, so queries widen their square by that much and then check the exact
 * extrapolated position. Used under its universe's lock.
 */
final class InterestIndex {
    private final SpatialGrid grid;
    private final double maxSpeed;
    private long sweptAt;

    InterestIndex(double cellSize, double maxSpeed, long now) {
        this.grid = new SpatialGrid(cellSize);
        this.maxSpeed = maxSpeed;
        this.sweptAt = now;
    }

    /** Files an entity at its last known state (after a spawn or a move). */
    void place(Entity entity) {
        grid.place(entity.id, entity.x, entity.y);
    }

    void remove(long id) {
        grid.remove(id);
    }

    /** Files every entity at its position extrapolated to {@code now}. */
    void sweep(Iterable<Entity> entities, long now) {
        for (Entity e : entities) {
            grid.place(e.id, e.xAt(now), e.yAt(now));
        }
        sweptAt = now;
    }

    /** The entities a player is to be shown at {@code now}: its own, and those within its view. */
    Set<Long> visibleTo(Player player, ViewArea view, Map<Long, Entity> entities, long now) {
        Set<Long> visible = new HashSet<>(player.entityIds);
        forEachWithin(view, entities, now, e -> visible.add(e.id));
        return visible;
    }

    /** Calls back every entity whose position extrapolated to {@code now} lies within the view. */
    void forEachWithin(ViewArea view, Map<Long, Entity> entities, long now, java.util.function.Consumer<Entity> action) {
        double drift = maxSpeed * Math.max(0, now - sweptAt) / 1000.0;
        grid.forEachNear(view.x(), view.y(), view.r() + drift, id -> {
            Entity e = entities.get(id);
            if (view.contains(e.xAt(now), e.yAt(now))) {
                action.accept(e);
            }
        });
    }
}
