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
    private final Recipients recipients;
    private boolean closed;

    public Universe(String name, UniverseSettings settings, LongSupplier clock, Fanout fanout, Supplier<String> resumeTokens) {
        this(name, settings, clock, fanout, resumeTokens, InterestObserver.NONE, Cluster.SINGLE_NODE);
    }

    /**
     * A universe whose interest management reports what it showed and hid to {@code interestObserver},
     * and that {@code cluster} replicates. The constructor talks to nobody; {@link #open} loads it.
     */
    public Universe(String name, UniverseSettings settings, LongSupplier clock, Fanout fanout, Supplier<String> resumeTokens,
                    InterestObserver interestObserver, Cluster cluster) {
        this.name = name;
        this.settings = settings;
        this.clock = clock;
        this.createdAt = clock.getAsLong();
        this.replication = cluster.replicate(this); // returns at once and reads only the name: nothing applied yet
        Recipients recipients = new Recipients(fanout, clock);
        this.recipients = recipients;
        this.visibility = Visibility.of(settings, createdAt, roster, entities, recipients, interestObserver);
        World world = new World(entities, visibility);
        this.membership = new Membership(name, settings, clock, resumeTokens, roster, visibility, world, recipients,
                replication);
        this.actions = new PlayerActions(new Rules(settings), world, visibility, replication, clock);
        this.remote = new RemoteChanges(roster, entities, membership, world, visibility, clock);
    }

    /**
     * Loads what the other nodes hold of this universe ({@link Replication#load}), once, before anyone
     * joins, holding no lock: it may wait for the shared store (IllegalStateException when unreachable).
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

    /**
     * Lets a connection in, the universe numbering its players. A subject that is already a member
     * takes its player over (same number and entities, 4009 to an older connection): {@link Membership#join}.
     */
    public JoinResult join(PlayerIdentity identity, PlayerLink link) {
        return join(identity, link, null);
    }

    /**
     * Lets a player in under the number the cluster granted it ({@link Cluster#claim}): the player this
     * node knows by that number (its own, or another node's, which then moves here), or a new one.
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
     * Whether a new player of {@code identity} would pass its origin's share of the slots
     * ({@link UniverseSettings#maxPlayersPerOrigin()}); a member taking its place over never does.
     */
    public boolean wouldExceedOriginShare(PlayerIdentity identity) {
        return locked(() -> membership.wouldExceedOriginShare(identity));
    }

    /** Whether {@code subject} is a member with an open connection here, which a new handshake would replace (4009). */
    public boolean hasConnectedMember(String subject, boolean spectator) {
        return locked(() -> roster.isConnected(subject, spectator));
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
     * Ends a connection ({@link Membership#disconnect}). Returns true when the universe is now empty
     * and closed, so that the registry can forget it.
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
     * The interest management tick ({@link Visibility#sweep}). Viewers are compared {@link #SWEEP_STEP}
     * at a time, each step under the lock and complete (its events queued before the lock is let go),
     * so that moves wait at most for one step, not for the whole universe's sweep.
     */
    public void sweepInterest() {
        List<Player> viewers = locked(() -> closed ? List.of() : visibility.viewersToSweep(clock.getAsLong()));
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

    /** Closes every connection with the given code and removes players and entities for good (admins, shutdown). */
    public void closeAll(int closeCode, String reason) {
        synchronized (lock) {
            membership.closeLinks(closeCode, reason);
            membership.removeLocalPlayers(); // for good, on every node
            forgetEverything();
        }
    }

    /**
     * Closes this node's connections and its copy without telling other nodes anything: for a node
     * the others gave up on (its players are gone for them), so that its clients start afresh.
     */
    public void abandon(int closeCode, String reason) {
        synchronized (lock) {
            membership.closeLinks(closeCode, reason);
            forgetEverything();
        }
    }

    /** The numbers of this node's players (connected or in their grace period here). */
    public Set<Long> localPlayerNumbers() {
        return locked(roster::localPlayerNumbers);
    }

    /** The states of this node's players' entities, to write again to a shared store that missed them. */
    public List<ReplicatedChange.EntitySet> localEntityStates() {
        return locked(entities::localStates);
    }

    /** Removes a member for good, as if it had left cleanly, and closes its connection; false when there is none. */
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
    public List<UniverseMember> members() {
        return locked(roster::describe);
    }

    /** Applies a change another node made (or the shared store on behalf of a lost node): see {@link RemoteChanges}. */
    public void applyRemote(ReplicatedChange change) {
        synchronized (lock) {
            if (!closed && remote.apply(change)) {
                closeIfEmpty();
            }
        }
    }

    /** Brings this copy in line with the shared store after this node lost touch with it: {@link RemoteChanges#reconcile}. */
    public void reconcile(List<ReplicatedChange.MemberJoined> members, List<ReplicatedChange.EntitySet> states) {
        synchronized (lock) {
            if (!closed) {
                remote.reconcile(members, states);
            }
        }
    }

    /**
     * Tells {@code tap} the universe's players and entities now, then every change until it is
     * detached or the universe closes (docs/recordings.md); a closed universe ends it at once.
     */
    public void attach(UniverseTap tap) {
        synchronized (lock) {
            recipients.attach(tap, name, roster.playersBut(null), entities.snapshot(), closed);
        }
    }

    public void detach(UniverseTap tap) {
        locked(() -> recipients.detach(tap));
    }

    /** The state of every entity, as a late joiner would get it. */
    public List<Appeared> entities() {
        return locked(entities::snapshot);
    }

    /** Counts for the HTTP API and metrics. */
    public UniverseSummary summary() {
        return locked(() -> new UniverseSummary(name, roster.playerCount(), roster.spectatorCount(), entities.size(), createdAt));
    }

    public boolean isClosed() {
        return locked(() -> closed);
    }

    /** Runs a read under the lock (not for the paths of moves: it allocates a lambda). */
    private <T> T locked(Supplier<T> read) {
        synchronized (lock) {
            return read.get();
        }
    }

    /** Closes this copy when no member of this node is left (other nodes' members do not keep it here). */
    private boolean closeIfEmpty() {
        if (!closed && !roster.hasLocalMember()) {
            closed = true;
            recipients.endTaps();
            replication.close();
        }
        return closed;
    }

    /** Empties this copy and closes it. */
    private void forgetEverything() {
        roster.clear();
        entities.clear();
        closeIfEmpty();
    }
}
