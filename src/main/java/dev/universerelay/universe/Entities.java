package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage.Appeared;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entities of one universe by id, each also listed by its owner ({@link Player#entityIds}),
 * the two kept in step here. Only the table; how entities come, change and go, and who is told,
 * is {@link World}'s. Used under the universe's lock.
 */
final class Entities {
    private final Map<Long, Entity> byId = new LinkedHashMap<>();

    Entity get(long id) {
        return byId.get(id);
    }

    void add(Entity entity) {
        byId.put(entity.id, entity);
        entity.owner.entityIds.add(entity.id);
    }

    void remove(Entity entity) {
        byId.remove(entity.id);
        entity.owner.entityIds.remove(entity.id);
    }

    /** The entities in the order they were spawned. */
    Collection<Entity> all() {
        return byId.values();
    }

    /** The table itself, for look-ups by id that must not copy it (interest management). */
    Map<Long, Entity> byId() {
        return byId;
    }

    Set<Long> ids() {
        return byId.keySet();
    }

    int size() {
        return byId.size();
    }

    /** The state of every entity, as a late joiner that sees everything gets it. */
    List<Appeared> snapshot() {
        List<Appeared> snapshot = new ArrayList<>(byId.size());
        for (Entity e : byId.values()) {
            snapshot.add(e.appeared(0));
        }
        return snapshot;
    }

    /** The states of the entities of this node's players, to write again to a shared store that missed them. */
    List<ReplicatedChange.EntitySet> localStates() {
        List<ReplicatedChange.EntitySet> states = new ArrayList<>();
        for (Entity e : byId.values()) {
            if (!e.owner.remote) {
                states.add(e.change(false));
            }
        }
        return states;
    }

    void clear() {
        byId.clear();
    }
}
