package dev.universerelay.universe;

import dev.universerelay.protocol.CloseCodes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * This node's copy of a universe follows the other nodes: their changes (and those the shared
 * store made on behalf of a lost node) are applied without being checked again, only the acting
 * player's node validates (docs/cluster.md), and this node's members are told what they see of
 * them through the same {@link Membership} and {@link World} paths as local changes. A change the
 * copy cannot place (an unknown owner, an entity already gone) is ignored: it comes from a member
 * this node never knew, or repeats what the snapshot already held. Used under the universe's lock.
 */
final class RemoteChanges {
    private final Roster roster;
    private final Entities entities;
    private final Membership membership;
    private final World world;
    private final Visibility visibility;
    private final LongSupplier clock;

    RemoteChanges(Roster roster, Entities entities, Membership membership, World world, Visibility visibility,
                  LongSupplier clock) {
        this.roster = roster;
        this.entities = entities;
        this.membership = membership;
        this.world = world;
        this.visibility = visibility;
        this.clock = clock;
    }

    /** Applies one change; returns whether a member of this node went (the copy may be empty now). */
    boolean apply(ReplicatedChange change) {
        // a switch expression, so that a new type of change must be handled here (ReplicatedChange.Type)
        return switch (change.type()) {
            case ENTITY_SET -> {
                entitySet((ReplicatedChange.EntitySet) change);
                yield false;
            }
            case ENTITY_REMOVED -> {
                ReplicatedChange.EntityRemoved removed = (ReplicatedChange.EntityRemoved) change;
                Entity entity = world.get(removed.id());
                if (entity != null) {
                    world.destroy(entity, removed.time(), null);
                }
                yield false;
            }
            case MEMBER_JOINED -> {
                membership.mirror((ReplicatedChange.MemberJoined) change);
                yield false;
            }
            case MEMBER_MOVED -> movedAway(((ReplicatedChange.MemberMoved) change).number());
            case MEMBER_LEFT -> left(((ReplicatedChange.MemberLeft) change).number());
            case MEMBER_VIEW -> {
                ReplicatedChange.MemberView view = (ReplicatedChange.MemberView) change;
                Player player = roster.player(view.number());
                if (player != null && player.remote) {
                    visibility.remoteView(player, new ViewArea(view.x(), view.y(), view.r()));
                }
                yield false;
            }
            // changes nothing that players see: the member stays until it resumes or leaves
            case MEMBER_ORPHANED -> false;
        };
    }

    /** A player of this node resumed on another node: its connection here is replaced (4009); its view stays. */
    private boolean movedAway(long number) {
        Player player = roster.player(number);
        if (player == null || player.remote) {
            return false;
        }
        if (player.link != null) {
            player.link.close(CloseCodes.REPLACED, "replaced by a newer connection on another node");
        }
        player.link = null;
        player.remote = true;
        visibility.left(player); // what it is shown is the other node's business now
        return true;
    }

    /** A player left for good elsewhere, or the store removed it; if it was this node's, its connection is closed. */
    private boolean left(long number) {
        Player player = roster.player(number);
        if (player == null) {
            return false;
        }
        if (player.link != null) {
            player.link.close(CloseCodes.TRY_AGAIN_LATER, "this node lost touch with the others; please reconnect");
        }
        membership.forget(player, clock.getAsLong());
        return !player.remote;
    }

    /** A new entity of a known player, or a new state of a known entity (of the same owner). */
    private void entitySet(ReplicatedChange.EntitySet set) {
        Entity entity = world.get(set.id());
        if (entity != null) {
            if (entity.owner.number() == set.owner()) {
                world.set(entity, set.x(), set.y(), set.vx(), set.vy(), set.time(), null);
            }
            return;
        }
        Player owner = roster.player(set.owner());
        if (owner != null) {
            world.spawn(set.id(), owner, set.kind(), set.x(), set.y(), set.vx(), set.vy(), set.time(), set.ref());
        }
    }

    /**
     * Brings the copy in line with the shared store after this node lost touch with it: members and
     * entities of other nodes that are gone are removed ({@code destroyed}, {@code left}), new ones
     * added, states refreshed. This node's own players and entities are kept: they are the truth the
     * others will get again.
     */
    void reconcile(List<ReplicatedChange.MemberJoined> members, List<ReplicatedChange.EntitySet> states) {
        long now = clock.getAsLong();
        Set<Long> memberNumbers = new HashSet<>();
        members.forEach(m -> memberNumbers.add(m.number()));
        Set<Long> entityIds = new HashSet<>();
        states.forEach(e -> entityIds.add(e.id()));
        for (Player p : List.copyOf(roster.players())) {
            if (p.remote && !memberNumbers.contains(p.number())) {
                membership.forget(p, now);
            }
        }
        for (Entity e : List.copyOf(entities.all())) {
            if (e.owner.remote && !entityIds.contains(e.id)) {
                world.destroy(e, now, null);
            }
        }
        members.forEach(membership::mirror);
        for (ReplicatedChange.EntitySet state : states) {
            Entity known = entities.get(state.id());
            if (known == null || (known.owner.remote && known.serverTime != state.time())) {
                entitySet(state);
            }
        }
    }
}
