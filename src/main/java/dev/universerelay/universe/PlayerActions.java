package dev.universerelay.universe;

import dev.universerelay.protocol.ClientMessage;
import java.util.function.LongSupplier;

/**
 * What a connected player's actions do: each is checked by the {@link Rules}, applied to the
 * {@link World} (which tells those who see it) and published to the other nodes, in that order,
 * so that a refused action changes nothing anywhere. Used under the universe's lock.
 */
final class PlayerActions {
    private final Rules rules;
    private final World world;
    private final Visibility visibility;
    private final Replication replication;
    private final LongSupplier clock;

    PlayerActions(Rules rules, World world, Visibility visibility, Replication replication, LongSupplier clock) {
        this.rules = rules;
        this.world = world;
        this.visibility = visibility;
        this.replication = replication;
        this.clock = clock;
    }

    /** Returns null when the action was applied (its events queued), or why it was refused. */
    Rejection apply(Player player, ClientMessage message) {
        ClientMessage.Kind kind = message.messageKind();
        if (kind != ClientMessage.Kind.VIEW && player.isSpectator()) {
            return rules.readOnly(); // a view is not an action on the world: spectators may send it too
        }
        // a switch expression, so that a new client message is a compile error here (ClientMessage.Kind)
        return switch (kind) {
            case SPAWN -> spawn(player, (ClientMessage.Spawn) message);
            case MOVE -> move(player, (ClientMessage.Move) message);
            case DESTROY -> destroy(player, (ClientMessage.Destroy) message);
            case VIEW -> view(player, (ClientMessage.View) message);
            case PING -> throw new IllegalArgumentException("ping is answered by the connection, not the universe");
        };
    }

    private Rejection spawn(Player player, ClientMessage.Spawn s) {
        Rejection refused = rules.checkSpawn(player, s);
        if (refused != null) {
            return refused;
        }
        long id;
        try {
            id = replication.nextEntityId();
        } catch (IllegalStateException unavailable) {
            return rules.noEntityId(); // none reserved ahead is left (the next block is on its way): refuse rather than wait
        }
        Entity entity = world.spawn(id, player, s.kind(), s.x(), s.y(), s.vx(), s.vy(), clock.getAsLong(), s.ref());
        replication.publish(entity.change(true, s.ref()));
        return null;
    }

    private Rejection move(Player player, ClientMessage.Move m) {
        Entity entity = world.get(m.id());
        Rejection refused = rules.checkMove(player, entity, m);
        if (refused != null) {
            return refused;
        }
        world.set(entity, m.x(), m.y(), m.vx(), m.vy(), clock.getAsLong(), player);
        replication.publish(entity.change(false));
        return null;
    }

    private Rejection destroy(Player player, ClientMessage.Destroy d) {
        Entity entity = world.get(d.id());
        Rejection refused = rules.checkOwned(player, entity, d.id());
        if (refused != null) {
            return refused;
        }
        long now = clock.getAsLong();
        world.destroy(entity, now, player);
        replication.publish(new ReplicatedChange.EntityRemoved(entity.id, now));
        return null;
    }

    /** Checked in every universe; where interest management is off a valid view is accepted and ignored. */
    private Rejection view(Player player, ClientMessage.View v) {
        Rejection refused = rules.checkView(v);
        if (refused != null) {
            return refused;
        }
        boolean taken = visibility.view(player, new ViewArea(v.x(), v.y(), v.r()), clock.getAsLong());
        if (taken && !player.isSpectator()) {
            replication.publish(new ReplicatedChange.MemberView(player.number(), v.x(), v.y(), v.r()));
        }
        return null;
    }
}
