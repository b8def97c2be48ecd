package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;

/** The last known state of one entity; changed only under its universe's lock. */
final class Entity {
    final long id;
    final Player owner;
    final int kind;
    float x;
    float y;
    float vx;
    float vy;
    long serverTime;
    /**
     * The members with a view that are shown this entity (interest management): with the members
     * that see everything, they are who its {@code velocity} and {@code destroyed} go to. Written
     * only by {@link InterestManagement}, in step with {@link Player#shown}.
     */
    final java.util.Set<Player> watchers = new java.util.LinkedHashSet<>();

    Entity(long id, Player owner, int kind) {
        this.id = id;
        this.owner = owner;
        this.kind = kind;
    }

    void set(float x, float y, float vx, float vy, long serverTime) {
        this.x = x;
        this.y = y;
        this.vx = vx;
        this.vy = vy;
        this.serverTime = serverTime;
    }

    /** Where the entity is at {@code now}, extrapolated from its last state. */
    double xAt(long now) {
        return x + (double) vx * (now - serverTime) / 1000.0;
    }

    double yAt(long now) {
        return y + (double) vy * (now - serverTime) / 1000.0;
    }

    /** Its extrapolated state at {@code now}, as shown to a player it comes into view of. */
    ServerMessage.Appeared appearedAt(long now) {
        return new ServerMessage.Appeared(id, owner.number(), kind, (float) xAt(now), (float) yAt(now), vx, vy, now, 0);
    }

    /** Its whole state, for the other nodes serving its universe. */
    ReplicatedChange.EntitySet change(boolean spawned) {
        return change(spawned, 0);
    }

    ReplicatedChange.EntitySet change(boolean spawned, long ref) {
        return new ReplicatedChange.EntitySet(spawned, id, owner.number(), kind, x, y, vx, vy, serverTime, ref);
    }

    ServerMessage.Appeared appeared(long ref) {
        return new ServerMessage.Appeared(id, owner.number(), kind, x, y, vx, vy, serverTime, ref);
    }
}
