package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.List;

/**
 * The one way each entity comes, changes and goes, whoever caused it (a player here, another node,
 * a player leaving): the table is changed and the {@link Visibility} tells those who see it, in that
 * order, so that no path can update one and forget the other. Used under the universe's lock.
 */
final class World {
    private final Entities entities;
    private final Visibility visibility;

    World(Entities entities, Visibility visibility) {
        this.entities = entities;
        this.visibility = visibility;
    }

    Entity get(long id) {
        return entities.get(id);
    }

    /** A new entity in its first state; {@code ref} is the spawn's, echoed in its {@code appeared}. */
    Entity spawn(long id, Player owner, int kind, float x, float y, float vx, float vy, long time, long ref) {
        Entity entity = new Entity(id, owner, kind);
        entity.set(x, y, vx, vy, time);
        entities.add(entity);
        visibility.spawned(entity, entity.appeared(ref));
        return entity;
    }

    /** An entity's new state, sent as {@code velocity} to those shown it but {@code except} (its mover). */
    void set(Entity entity, float x, float y, float vx, float vy, long time, Player except) {
        entity.set(x, y, vx, vy, time);
        visibility.moved(entity, new ServerMessage.Velocity(entity.id, x, y, vx, vy, time), except);
    }

    /** The one way an entity goes: out of the table, {@code destroyed} to those shown it but {@code except}. */
    void destroy(Entity entity, long time, Player except) {
        entities.remove(entity);
        visibility.destroyed(entity, new ServerMessage.Destroyed(entity.id, time), except);
    }

    /** Destroys what is left of a player's entities (it is leaving); everyone shown them is told. */
    void destroyAllOf(Player owner, long time) {
        for (Long id : List.copyOf(owner.entityIds)) {
            destroy(entities.get(id), time, null);
        }
    }
}
