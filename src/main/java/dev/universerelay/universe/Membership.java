package dev.universerelay.universe;

import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.ServerMessage;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The ways into and out of a universe, each written once: {@link #join} for every arrival (a new
 * member, a member taking its place over, a member arriving from another node, a member of another
 * node mirrored here) and {@link #leave} / {@link #forget} for every departure. A member keeps its
 * number and entities through a dropped connection for the grace period, so that a reconnect is the
 * same player. Used under the universe's lock.
 */
final class Membership {
    private final String universe;
    private final UniverseSettings settings;
    private final LongSupplier clock;
    private final Supplier<String> resumeTokens;
    private final Roster roster;
    private final Visibility visibility;
    private final World world;
    private final Recipients recipients;
    private final Replication replication;

    Membership(String universe, UniverseSettings settings, LongSupplier clock, Supplier<String> resumeTokens,
               Roster roster, Visibility visibility, World world, Recipients recipients, Replication replication) {
        this.universe = universe;
        this.settings = settings;
        this.clock = clock;
        this.resumeTokens = resumeTokens;
        this.roster = roster;
        this.visibility = visibility;
        this.world = world;
        this.recipients = recipients;
        this.replication = replication;
    }

    /**
     * Lets a connection in. {@code claimed} is the number the cluster granted (see
     * {@link Cluster#claim}), or null where the universe numbers its players itself and so also
     * enforces the player cap and the per-origin share. A member this node knows already (by
     * subject; with a claim, the player of that number, perhaps another node's) takes its place
     * over: same number, same entities, no {@code joined} for the others, an older connection closed
     * with 4009.
     */
    JoinResult join(PlayerIdentity identity, PlayerLink link, Long claimed) {
        Player existing = claimed != null && !identity.spectator() ? roster.player(claimed) : roster.bySubject(identity);
        if (existing != null) {
            return new JoinResult.Entered(resume(existing, link), true);
        }
        if (claimed == null && !identity.spectator()) {
            if (roster.isFull(settings.maxPlayers())) {
                return new JoinResult.Full();
            }
            if (roster.originShareTaken(identity, settings.maxPlayersPerOrigin())) {
                return new JoinResult.OriginShareFull();
            }
        }
        return new JoinResult.Entered(admit(identity, claimed != null ? claimed : roster.nextNumber(), link), false);
    }

    /** A player of another node, mirrored here (it may come to this node later: see {@link #join}). */
    void mirror(ReplicatedChange.MemberJoined joined) {
        if (roster.player(joined.number()) == null) {
            admit(new PlayerIdentity(joined.subject(), joined.name(), false), joined.number(), null);
        }
    }

    /** Whether a new player of {@code identity} would pass its origin's share; a member taking its place over never does. */
    boolean wouldExceedOriginShare(PlayerIdentity identity) {
        return !identity.spectator() && roster.bySubject(identity) == null
                && roster.originShareTaken(identity, settings.maxPlayersPerOrigin());
    }

    /** A new member; {@code link} null: a member of another node. Players are announced with {@code joined}. */
    private Player admit(PlayerIdentity identity, long number, PlayerLink link) {
        Player member = new Player(number, identity, link);
        member.remote = link == null;
        roster.add(member);
        if (link != null) {
            visibility.entered(member);
            welcome(member);
        }
        if (!identity.spectator()) {
            announce(new ServerMessage.Joined(number, identity.name()), member);
        }
        return member;
    }

    /** A member known here gets a new connection: its own again, or its first here after another node's. */
    private Player resume(Player member, PlayerLink link) {
        if (member.link != null) {
            member.link.close(CloseCodes.REPLACED, "replaced by a newer connection");
        }
        boolean arriving = member.remote;
        member.link = link;
        member.graceDeadline = 0;
        member.remote = false;
        if (arriving) {
            visibility.entered(member);
        }
        welcome(member);
        return member;
    }

    private void welcome(Player member) {
        long now = clock.getAsLong();
        member.link.send(new ServerMessage.Welcome(universe, member.number(), member.identity().name(), now,
                resumeTokens.get(), roster.playersBut(member), visibility.snapshotFor(member, now), settings.limits()));
    }

    /**
     * A connection ends (its link is already known to be the member's). A spectator goes; a player
     * goes for good when {@code forGood} (a clean close) or without a grace period, else keeps its
     * place until the grace period ends.
     */
    void disconnect(Player member, boolean forGood) {
        member.link = null;
        if (member.isSpectator() || forGood || settings.graceMillis() <= 0) {
            leave(member);
        } else {
            member.graceDeadline = clock.getAsLong() + settings.graceMillis();
        }
    }

    /** The players whose grace period is over leave for good. */
    void expireGrace() {
        roster.graceOver(clock.getAsLong()).forEach(this::leave);
    }

    /** Removes a member of this node for good and then closes its connection; false when there is no such member here. */
    boolean kick(long number, int closeCode, String reason) {
        Player member = roster.member(number);
        if (member == null || member.remote) {
            return false;
        }
        PlayerLink link = member.link;
        member.link = null;
        leave(member);
        if (link != null) {
            link.close(closeCode, reason);
        }
        return true;
    }

    /** Every player of this node leaves for good, on every node (spectators go with the copy). */
    void removeLocalPlayers() {
        for (Player p : List.copyOf(roster.players())) {
            if (!p.remote) {
                leave(p);
            }
        }
    }

    /**
     * A member of this node leaves for good. A player's entities are destroyed, then it has left, on
     * every node; a spectator was only ever on this node.
     */
    void leave(Player member) {
        if (member.isSpectator()) {
            roster.remove(member);
            visibility.left(member);
            return;
        }
        long now = clock.getAsLong();
        for (Long id : List.copyOf(member.entityIds)) {
            replication.publish(new ReplicatedChange.EntityRemoved(id, now));
        }
        replication.publish(new ReplicatedChange.MemberLeft(member.number()));
        forget(member, now);
    }

    /** Takes a player and what is left of its entities out of this copy, telling this node's members. */
    void forget(Player player, long now) {
        roster.remove(player);
        visibility.left(player);
        world.destroyAllOf(player, now);
        announce(new ServerMessage.Left(player.number()), null);
    }

    /** Closes the connection of every member of this node. */
    void closeLinks(int closeCode, String reason) {
        for (Player p : roster.everyone()) {
            if (p.link != null) {
                p.link.close(closeCode, reason);
                p.link = null;
            }
        }
    }

    /** Tells every connected member but {@code except} (joined, left: what everyone sees). */
    private void announce(ServerMessage message, Player except) {
        for (Player p : roster.players()) {
            recipients.add(p, except);
        }
        for (Player p : roster.spectators()) {
            recipients.add(p, except);
        }
        recipients.send(message);
    }
}
