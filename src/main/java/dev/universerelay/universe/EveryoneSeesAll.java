package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The visibility of a universe without interest management, and of the members of one with it
 * that sent no view: every member served by this node is told about every entity. They are kept
 * in a set of their own, so that telling them costs these members and not a walk over every
 * player of the universe (members of other nodes included).
 */
final class EveryoneSeesAll implements Visibility {
    private final Entities entities;
    private final Recipients recipients;
    /** The members served here that see everything (connected or in their grace period), in order of arrival. */
    private final Set<Player> audience = new LinkedHashSet<>();

    EveryoneSeesAll(Entities entities, Recipients recipients) {
        this.entities = entities;
        this.recipients = recipients;
    }

    @Override
    public void entered(Player member) {
        audience.add(member);
    }

    @Override
    public void left(Player member) {
        audience.remove(member);
    }

    /** Adds the connections of everyone here but {@code except} to the recipients of the next event. */
    void addAudience(Player except) {
        for (Player p : audience) {
            recipients.add(p, except);
        }
    }

    @Override
    public List<ServerMessage.Appeared> snapshotFor(Player member, long now) {
        return entities.snapshot();
    }

    @Override
    public void spawned(Entity entity, ServerMessage.Appeared appeared) {
        addAudience(null);
        recipients.send(appeared);
    }

    @Override
    public void moved(Entity entity, ServerMessage.Velocity velocity, Player except) {
        addAudience(except);
        recipients.send(velocity);
    }

    @Override
    public void destroyed(Entity entity, ServerMessage.Destroyed destroyed, Player except) {
        addAudience(except);
        recipients.send(destroyed);
    }

    @Override
    public boolean view(Player member, ViewArea area, long now) {
        return false;
    }

    @Override
    public void remoteView(Player member, ViewArea area) {
        // nothing to keep: no member of this universe is ever shown less than everything
    }

    @Override
    public List<Player> viewersToSweep(long now) {
        return List.of();
    }

    @Override
    public void sweep(List<Player> viewers, long now) {
    }
}
