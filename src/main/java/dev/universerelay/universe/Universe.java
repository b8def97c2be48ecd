package dev.universerelay.universe;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One isolated game instance, and its lock. Every change happens under that one lock, held only
 * to validate, apply and enqueue (never across I/O), so all members see the events of a universe
 * in the same order, and no universe ever waits for another.
 *
 * <p>This class is the coordinator: it takes the lock, checks that the universe is open and that a
 * connection is still the member's, and hands the work to the part whose job it is:
 * {@link Membership} (the ways in and out, over the {@link Roster}), {@link PlayerActions} (a
 * player's spawn, move, destroy and view, checked by the {@link Rules}), {@link RemoteChanges} (the
 * other nodes' changes, docs/cluster.md), with {@link World} as the one path by which entities
 * change and {@link Visibility} picking who is told (interest management, docs/protocol.md
 * section 13, is one of its strategies). Members of other nodes are {@linkplain Player#isRemote()
 * remote} here.
 */
public final class Universe {
    /** How many viewers one step of the interest sweep compares while holding the lock. */
    static final int SWEEP_STEP = 128;

    private final String name;
    private final UniverseSettings settings;
    private final LongSupplier clock;
    private final long createdAt;
    private final Replication replication;
    private final Object lock = new Object();
    private final Roster roster = new Roster();
    private final Entities entities = new Entities();
    private final Visibility visibility;
    private final Membership membership;
    private final PlayerActions actions;
    private final RemoteChanges remote;
    private boolean closed;

    public Universe(String name, UniverseSettings settings, LongSupplier clock, Fanout fanout, Supplier<String> resumeTokens) {
        this(name, settings, clock, fanout, resumeTokens, InterestObserver.NONE, Cluster.SINGLE_NODE);
    }

    /** A universe whose interest management reports what it showed and hid to {@code interestObserver}. */
    public Universe(String name, UniverseSettings settings, LongSupplier clock, Fanout fanout, Supplier<String> resumeTokens,
                    InterestObserver interestObserver) {
        this(name, settings, clock, fanout, resumeTokens, interestObserver, Cluster.SINGLE_NODE);
    }

    /**
     * A universe that the given cluster replicates. The constructor talks to nobody; {@link #open}
     * then loads what other nodes hold of it, before anyone joins.
     */
    public Universe(String name, UniverseSettings settings, LongSupplier clock, Fanout fanout, Supplier<String> resumeTokens,
                    InterestObserver interestObserver, Cluster cluster) {
        this.name = name;
        this.settings = settings;
        this.clock = clock;
        this.createdAt = clock.getAsLong();
        this.replication = cluster.replicate(this); // returns at once and reads only the name: nothing applied yet
        Recipients recipients = new Recipients(fanout);
        this.visibility = Visibility.of(settings, createdAt, roster, entities, recipients, interestObserver);
        World world = new World(entities, visibility);
        this.membership = new Membership(name, settings, clock, resumeTokens, roster, visibility, world, recipients,
                replication);
        this.actions = new PlayerActions(new Rules(settings), world, visibility, replication, clock);
        this.remote = new RemoteChanges(roster, entities, membership, world, visibility, clock);
    }

    /**
     * Loads what the other nodes hold of this universe and reserves its first entity ids
     * ({@link Replication#load}). The registry calls it once, before it lets anyone join, holding no
     * lock: it may wait for the shared store. Nothing to do for a universe on one node.
     *
     * @throws IllegalStateException when the shared store cannot be reached
     */
    public void open() {
        replication.load();
    }

    public String name() {
        return name;
    }

    /** Whether the calling thread holds this universe's lock: lets tests check that no port is called with it held. */
    boolean lockHeldByCurrentThread() {
        return Thread.holdsLock(lock);
    }

    /** Players allowed in the universe (across all nodes); 0 means unlimited. */
    public int maxPlayers() {
        return settings.maxPlayers();
    }

    public long createdAt() {
        return createdAt;
    }

    /**
     * Lets a connection in, the universe numbering its players. A subject that is already a member
     * (connected or in its grace period) takes its player over: same number, same entities, no
     * {@code joined}/{@code left} for the others; an older connection still open is closed with
     * {@code 4009}.
     */
    public JoinResult join(PlayerIdentity identity, PlayerLink link) {
        return join(identity, link, null);
    }

    /**
     * Lets a player in under the number the cluster granted it (see {@link Cluster#claim}): the
     * player this node already knows by that number (its own, or another node's, which then moves
     * here), or a new one, announced with {@code joined} to this node's players; the other nodes
     * learned of it from the claim. Spectators stay on their node: the cluster only gave the number.
     */
    public JoinResult joinClaimed(PlayerIdentity identity, PlayerLink link, long number) {
        return join(identity, link, number);
    }

    private JoinResult join(PlayerIdentity identity, PlayerLink link, Long claimed) {
        synchronized (lock) {
            return closed ? new JoinResult.Closed() : membership.join(identity, link, claimed);
        }
    }

    /**
     * Whether a new player of {@code identity} would pass its origin's share of the slots: this
     * node's players from the same origin, those in their resume grace included, already hold
     * {@link UniverseSettings#maxPlayersPerOrigin()}. A member taking its place over is never refused.
     */
    public boolean wouldExceedOriginShare(PlayerIdentity identity) {
        synchronized (lock) {
            return membership.wouldExceedOriginShare(identity);
        }
    }

    /** Whether {@code subject} is a member with an open connection here, which a new handshake would replace (4009). */
    public boolean hasConnectedMember(String subject, boolean spectator) {
        synchronized (lock) {
            Player p = roster.bySubject(subject, spectator);
            return p != null && p.link != null;
        }
    }

    /**
     * Applies a spawn, move, destroy or view of a connected player. Returns null when it was applied
     * (and its events enqueued), or why it was refused, in which case nothing changed.
     */
    public Rejection apply(Player player, PlayerLink link, ClientMessage message) {
        Rejection result;
        synchronized (lock) {
            // null for a replaced connection's last messages: it is being closed
            result = player.link == link ? actions.apply(player, message) : null;
        }
        if (message.messageKind() == ClientMessage.Kind.SPAWN) {
            replication.reserveEntityIds(); // without the lock: it may ask the shared store for the next block
        }
        return result;
    }

    /**
     * Ends a connection. A player leaves for good when {@code forGood} (a clean close); otherwise
     * it keeps its number and entities for the grace period. Returns true when the universe is
     * now empty and closed, so that the registry can forget it.
     */
    public boolean disconnect(Player player, PlayerLink link, boolean forGood) {
        synchronized (lock) {
            if (player.link != link || closed) {
                return false; // already replaced, or gone
            }
            membership.disconnect(player, forGood);
            return closeIfEmpty();
        }
    }

    /**
     * The interest management tick: files every entity at its extrapolated position and tells each
     * connected player with a view what entered its area ({@code appeared}) and what left it
     * ({@code hidden}). Viewers are compared {@link #SWEEP_STEP} at a time, each step under the lock
     * and complete (its events queued before the lock is let go), so that moves wait at most for one
     * step, not for the whole universe's sweep. Nothing to do where everyone sees everything.
     */
    public void sweepInterest() {
        List<Player> viewers;
        synchronized (lock) {
            if (closed) {
                return;
            }
            viewers = visibility.viewersToSweep(clock.getAsLong());
        }
        for (int from = 0; from < viewers.size(); from += SWEEP_STEP) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                visibility.sweep(viewers.subList(from, Math.min(viewers.size(), from + SWEEP_STEP)), clock.getAsLong());
            }
        }
    }

    /** Lets players whose grace period has ended leave for good. Returns true when the universe closed. */
    public boolean expireGrace() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            membership.expireGrace();
            return closeIfEmpty();
        }
    }

    /**
     * Closes every connection of the universe with the given code and empties it; used by admins
     * and shutdown. Entities and players are removed for good.
     */
    public void closeAll(int closeCode, String reason) {
        synchronized (lock) {
            membership.closeLinks(closeCode, reason);
            membership.removeLocalPlayers(); // for good, on every node
            forgetEverything();
        }
    }

    /**
     * Drops this node's copy without telling other nodes anything: its connections are closed with
     * the given code and the copy is closed. For a node the others have given up on (they already
     * treated its players as gone), so that its clients reconnect and start afresh.
     */
    public void abandon(int closeCode, String reason) {
        synchronized (lock) {
            membership.closeLinks(closeCode, reason);
            forgetEverything();
        }
    }

    /** The numbers of this node's players (connected or in their grace period here). */
    public Set<Long> localPlayerNumbers() {
        synchronized (lock) {
            return roster.localPlayerNumbers();
        }
    }

    /** The states of this node's players' entities, to write again to a shared store that missed them. */
    public List<ReplicatedChange.EntitySet> localEntityStates() {
        synchronized (lock) {
            return entities.localStates();
        }
    }

    /**
     * Removes a player (or spectator) for good, as if it had left cleanly, and closes its connection
     * with the given code. Returns false when no such member exists; true when it was removed.
     */
    public boolean kick(long number, int closeCode, String reason) {
        synchronized (lock) {
            if (closed || !membership.kick(number, closeCode, reason)) {
                return false;
            }
            closeIfEmpty();
            return true;
        }
    }

    /** Who is in the universe, for operators. */
    public List<MemberView> members() {
        synchronized (lock) {
            return roster.describe();
        }
    }

    /** One member as operators see it; {@code connected} is false during the resume grace period. */
    public record MemberView(long player, String name, boolean spectator, boolean connected, int entities) {
    }

    /**
     * Applies a change another node made (or the shared store made on behalf of a lost node) and
     * tells this node's players what they see of it, under the same rules as local changes (see
     * {@link RemoteChanges}).
     */
    public void applyRemote(ReplicatedChange change) {
        synchronized (lock) {
            if (!closed && remote.apply(change)) {
                closeIfEmpty();
            }
        }
    }

    /**
     * Brings this copy in line with the shared store after this node lost touch with it for a while
     * (and so may have missed changes); see {@link RemoteChanges#reconcile}.
     */
    public void reconcile(List<ReplicatedChange.MemberJoined> members, List<ReplicatedChange.EntitySet> states) {
        synchronized (lock) {
            if (!closed) {
                remote.reconcile(members, states);
            }
        }
    }

    /** The state of every entity, as a late joiner would get it. */
    public List<Appeared> entities() {
        synchronized (lock) {
            return entities.snapshot();
        }
    }

    /** Counts for the HTTP API and metrics. */
    public Summary summary() {
        synchronized (lock) {
            return new Summary(name, roster.playerCount(), roster.spectatorCount(), entities.size(), createdAt);
        }
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** A consistent view of one universe's size. */
    public record Summary(String name, int players, int spectators, int entities, long createdAt) {
    }

    /** Closes this copy when no member of this node is left (other nodes' members do not keep it here). */
    private boolean closeIfEmpty() {
        if (!closed && !roster.hasLocalMember()) {
            markClosed();
        }
        return closed;
    }

    private void forgetEverything() {
        roster.clear();
        entities.clear();
        markClosed();
    }

    private void markClosed() {
        if (!closed) {
            closed = true;
            replication.close();
        }
    }
}
