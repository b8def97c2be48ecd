package dev.universerelay.universe;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ErrorCode;

/**
 * The game rules a player's action must pass before it changes anything (docs/protocol.md
 * sections 6 and 13): what is checked, in which order, and what the refusal says. Each check
 * returns null when the action passes, else the {@link Rejection} to answer with; none changes
 * state, so that a refused action leaves no trace.
 */
final class Rules {
    private final UniverseSettings settings;

    Rules(UniverseSettings settings) {
        this.settings = settings;
    }

    /** Spectators watch: they may send {@code view} and {@code ping}, nothing that changes the world. */
    Rejection readOnly() {
        return new Rejection(ErrorCode.READ_ONLY, "spectators may only send ping");
    }

    /** A spawn: its state, then the owner's allowance of entities. */
    Rejection checkSpawn(Player player, ClientMessage.Spawn s) {
        Rejection invalid = checkState(s.x(), s.y(), s.vx(), s.vy());
        if (invalid != null) {
            return invalid;
        }
        int max = settings.limits().maxEntities();
        if (player.entityIds.size() >= max) {
            return new Rejection(ErrorCode.TOO_MANY_ENTITIES, "a player may own at most " + max + " entities");
        }
        return null;
    }

    /** No entity id is left of those reserved ahead, and the spawn does not wait for the next block. */
    Rejection noEntityId() {
        return new Rejection(ErrorCode.RATE_LIMITED, "no entity id can be given right now; try again shortly");
    }

    /** A move: the entity exists and is the player's, then its new state. */
    Rejection checkMove(Player player, Entity entity, ClientMessage.Move m) {
        Rejection refused = checkOwned(player, entity, m.id());
        return refused != null ? refused : checkState(m.x(), m.y(), m.vx(), m.vy());
    }

    /** A destroy: the entity exists and is the player's. */
    Rejection checkOwned(Player player, Entity entity, long id) {
        if (entity == null) {
            return new Rejection(ErrorCode.UNKNOWN_ENTITY, "no entity " + id + " in this universe");
        }
        if (entity.owner != player) {
            return new Rejection(ErrorCode.NOT_OWNER, "entity " + id + " belongs to player " + entity.owner.number());
        }
        return null;
    }

    /**
     * A view: its radius, then its centre. Checked in every universe, so that a client learns of a
     * bad view also where interest management is off (and the view is then ignored).
     */
    Rejection checkView(ClientMessage.View v) {
        double maxRadius = settings.interest().maxViewRadius();
        if (!Float.isFinite(v.r()) || v.r() <= 0 || v.r() > maxRadius) {
            return new Rejection(ErrorCode.BAD_MESSAGE, "view radius must be above 0 and at most " + format(maxRadius));
        }
        double bounds = settings.limits().bounds();
        if (!Float.isFinite(v.x()) || !Float.isFinite(v.y()) || Math.abs(v.x()) > bounds || Math.abs(v.y()) > bounds) {
            return new Rejection(ErrorCode.OUT_OF_BOUNDS, "view centre must be finite and within ±" + format(bounds));
        }
        return null;
    }

    private Rejection checkState(float x, float y, float vx, float vy) {
        double bounds = settings.limits().bounds();
        if (!Float.isFinite(x) || !Float.isFinite(y) || Math.abs(x) > bounds || Math.abs(y) > bounds) {
            return new Rejection(ErrorCode.OUT_OF_BOUNDS, "coordinates must be finite and within ±" + format(bounds));
        }
        double maxSpeed = settings.limits().maxSpeed();
        if (!Float.isFinite(vx) || !Float.isFinite(vy) || Math.hypot(vx, vy) > maxSpeed) {
            return new Rejection(ErrorCode.TOO_FAST, "speed must be finite and at most " + format(maxSpeed));
        }
        return null;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
