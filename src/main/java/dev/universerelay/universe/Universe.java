package dev.universerelay.universe;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One isolated game instance. Every change happens under one lock, held only to validate, apply
 * and enqueue, so all members see the events of a universe in the same order, and no universe
 * ever waits for another.
 *
 * <p>With interest management (docs/protocol.md section 13), a player that sent a {@code view}
 * gets only the events of the entities it is shown ({@link Player#shown}); the periodic
 * {@link #sweepInterest()} shows and hides entities as they move in and out of views.
 *
 * <p>When several nodes serve the universe (docs/cluster.md), each holds a copy: its own players
 * act on it as above and their changes go to the other nodes through the {@link Replication};
 * the other nodes' changes arrive through {@link #applyRemote} and are fanned out to this node's
 * players. Members of other nodes are {@linkplain Player#isRemote() remote} here.
 */
public final class Universe {
    private final String name;
    private final UniverseSettings settings;
    private final LongSupplier clock;
    private final Fanout fanout;
    private final Supplier<String> resumeTokens;
    private final long createdAt;
    /** Where entities are, for views; null when this universe has no interest management. */
    private final InterestIndex interest;
    private final Replication replication;
    private final InterestObserver interestObserver;

    private final Object lock = new Object();
    private final Map<Long, Player> players = new LinkedHashMap<>();
    private final Map<Long, Player> spectators = new LinkedHashMap<>();
    private final Map<String, Player> playersBySubject = new HashMap<>();
    private final Map<String, Player> spectatorsBySubject = new HashMap<>();
    private final Map<Long, Entity> entities = new LinkedHashMap<>();
    private final List<PlayerLink> recipients = new ArrayList<>();
    /**
     * Members (players and spectators, connected or in their grace period) that sent no view and so
     * see everything. With interest management, the others get the events of an entity only when
     * they are among its {@link Entity#watchers}, so a move costs its watchers, not the universe.
     */
    private final Set<Player> seeingAll = new java.util.LinkedHashSet<>();
    private static final Predicate<Player> EVERYONE = p -> true;
    /** How many viewers one step of the interest sweep compares while holding the lock. */
    static final int SWEEP_STEP = 128;
    /** Numbers of a single-node universe; with other nodes the cluster gives them (see {@link #joinClaimed}). */
    private long nextPlayerNumber = 1;
    private boolean closed;
    /** Who gets the whole stream, whatever each player is shown (recorders, delay lines). */
    private final List<UniverseTap> taps = new ArrayList<>();

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
        this.interestObserver = interestObserver;
        this.settings = settings;
        this.clock = clock;
        this.fanout = fanout;
        this.resumeTokens = resumeTokens;
        this.createdAt = clock.getAsLong();
        InterestSettings interestSettings = settings.interest();
        this.interest = interestSettings.enabled()
                ? new InterestIndex(interestSettings.cellSize(), settings.limits().maxSpeed(), createdAt)
                : null;
        this.replication = cluster.replicate(this); // last: returns at once, nothing applied yet
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
     * Lets a connection in. A subject that is already a member (connected or in its grace period)
     * takes its player over: same number, same entities, no {@code joined}/{@code left} for the
     * others; an older connection still open is closed with {@code 4009}.
     */
    public JoinResult join(PlayerIdentity identity, PlayerLink link) {
        synchronized (lock) {
            if (closed) {
                return new JoinResult.Closed();
            }
            Map<String, Player> bySubject = identity.spectator() ? spectatorsBySubject : playersBySubject;
            Player existing = bySubject.get(identity.subject());
            if (existing != null) {
                return new JoinResult.Entered(takeOver(existing, link), true);
            }
            if (!identity.spectator() && settings.maxPlayers() > 0 && players.size() >= settings.maxPlayers()) {
                return new JoinResult.Full();
            }
            if (!identity.spectator() && originShareTaken(identity)) {
                return new JoinResult.OriginShareFull();
            }
            Player player = new Player(nextPlayerNumber++, identity, link);
            seeingAll.add(player);
            sendWelcome(player);
            bySubject.put(identity.subject(), player);
            if (identity.spectator()) {
                spectators.put(player.number(), player);
            } else {
                broadcast(new ServerMessage.Joined(player.number(), identity.name()), null, EVERYONE);
                players.put(player.number(), player);
            }
            return new JoinResult.Entered(player, false);
        }
    }

    /**
     * Lets a player in under the number the cluster granted it (see {@link Cluster#claim}): the
     * player this node already knows by that number (its own, or another node's, which then moves
     * here), or a new one, announced with {@code joined} to this node's players; the other nodes
     * learned of it from the claim.
     */
    public JoinResult joinClaimed(PlayerIdentity identity, PlayerLink link, long number) {
        synchronized (lock) {
            if (closed) {
                return new JoinResult.Closed();
            }
            if (identity.spectator()) {
                return joinSpectator(identity, link, number);
            }
            Player existing = players.get(number);
            if (existing != null) {
                if (existing.remote) {
                    existing.remote = false;
                    if (existing.view == null) {
                        seeingAll.add(existing); // a member arriving from another node without a view sees everything
                    }
                }
                return new JoinResult.Entered(takeOver(existing, link), true);
            }
            Player player = new Player(number, identity, link);
            seeingAll.add(player);
            sendWelcome(player);
            playersBySubject.put(identity.subject(), player);
            broadcast(new ServerMessage.Joined(player.number(), identity.name()), null, EVERYONE);
            players.put(player.number(), player);
            return new JoinResult.Entered(player, false);
        }
    }

    /** Spectators stay on their node; the cluster only gave the number, unique among players and spectators. */
    private JoinResult joinSpectator(PlayerIdentity identity, PlayerLink link, long number) {
        Player existing = spectatorsBySubject.get(identity.subject());
        if (existing != null) {
            return new JoinResult.Entered(takeOver(existing, link), true);
        }
        Player spectator = new Player(number, identity, link);
        seeingAll.add(spectator);
        sendWelcome(spectator);
        spectatorsBySubject.put(identity.subject(), spectator);
        spectators.put(number, spectator);
        return new JoinResult.Entered(spectator, false);
    }

    /**
     * Whether a new player of {@code identity} would pass its origin's share of the slots: this
     * node's players from the same origin, those in their resume grace included, already hold
     * {@link UniverseSettings#maxPlayersPerOrigin()}. A member taking its place over is never refused.
     */
    public boolean wouldExceedOriginShare(PlayerIdentity identity) {
        synchronized (lock) {
            Map<String, Player> bySubject = identity.spectator() ? spectatorsBySubject : playersBySubject;
            return !identity.spectator() && !bySubject.containsKey(identity.subject()) && originShareTaken(identity);
        }
    }

    private boolean originShareTaken(PlayerIdentity identity) {
        int max = settings.maxPlayersPerOrigin();
        if (max <= 0 || identity.origin() == null) {
            return false;
        }
        int fromOrigin = 0;
        for (Player p : players.values()) {
            if (identity.origin().equals(p.identity().origin()) && ++fromOrigin >= max) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code subject} is a member with an open connection here, which a new handshake would replace (4009). */
    public boolean hasConnectedMember(String subject, boolean spectator) {
        synchronized (lock) {
            Player p = (spectator ? spectatorsBySubject : playersBySubject).get(subject);
            return p != null && p.link != null;
        }
    }

    /** Gives an existing player a new connection; an older one still open is closed with 4009. */
    private Player takeOver(Player existing, PlayerLink link) {
        if (existing.link != null) {
            existing.link.close(CloseCodes.REPLACED, "replaced by a newer connection");
        }
        existing.link = link;
        existing.graceDeadline = 0;
        sendWelcome(existing);
        return existing;
    }

    private void sendWelcome(Player player) {
        List<ServerMessage.PlayerInfo> others = new ArrayList<>(players.size());
        for (Player p : players.values()) {
            if (p != player) {
                others.add(new ServerMessage.PlayerInfo(p.number(), p.identity().name()));
            }
        }
        LimitsInfo limits = settings.limits();
        player.link.send(new ServerMessage.Welcome(name, player.number(), player.identity().name(), clock.getAsLong(),
                resumeTokens.get(), others, snapshotFor(player), limits));
    }

    /** What a player is shown on arrival: everything, or (after a resume with a view) its area and its own. */
    private List<Appeared> snapshotFor(Player player) {
        if (player.view == null) {
            return entities();
        }
        Set<Long> visible = interest.visibleTo(player, player.view, entities, clock.getAsLong());
        for (Long id : player.shown) {
            if (!visible.contains(id)) {
                unwatch(player, id);
            }
        }
        for (Long id : visible) {
            entities.get(id).watchers.add(player);
        }
        player.shown = visible;
        List<Appeared> snapshot = new ArrayList<>(player.shown.size());
        for (Entity e : entities.values()) {
            if (player.shown.contains(e.id)) {
                snapshot.add(e.appeared(0));
            }
        }
        return snapshot;
    }

    /**
     * Applies a spawn, move, destroy or view of a connected player. Returns null when it was applied
     * (and its events enqueued), or why it was refused, in which case nothing changed.
     */
    public Rejection apply(Player player, PlayerLink link, ClientMessage message) {
        Rejection result = applyLocked(player, link, message);
        if (message instanceof ClientMessage.Spawn) {
            replication.reserveEntityIds(); // without the lock: it may ask the shared store for the next block
        }
        return result;
    }

    private Rejection applyLocked(Player player, PlayerLink link, ClientMessage message) {
        synchronized (lock) {
            if (player.link != link) {
                return null; // a replaced connection's last messages: it is being closed
            }
            if (message instanceof ClientMessage.View v) {
                return view(player, v); // not an action on the world: spectators may send it too
            }
            if (player.isSpectator()) {
                return new Rejection(ErrorCode.READ_ONLY, "spectators may only send ping");
            }
            if (message instanceof ClientMessage.Spawn s) {
                return spawn(player, s);
            } else if (message instanceof ClientMessage.Move m) {
                return move(player, m);
            } else if (message instanceof ClientMessage.Destroy d) {
                return destroy(player, d);
            }
            throw new IllegalArgumentException(message.type() + " is answered by the connection, not the universe");
        }
    }

    private Rejection spawn(Player player, ClientMessage.Spawn s) {
        Rejection invalid = checkState(s.x(), s.y(), s.vx(), s.vy());
        if (invalid != null) {
            return invalid;
        }
        if (player.entityIds.size() >= settings.limits().maxEntities()) {
            return new Rejection(ErrorCode.TOO_MANY_ENTITIES,
                    "a player may own at most " + settings.limits().maxEntities() + " entities");
        }
        long id;
        try {
            id = replication.nextEntityId();
        } catch (IllegalStateException unavailable) {
            // no id reserved ahead is left (the next block is on its way): refuse rather than wait
            return new Rejection(ErrorCode.RATE_LIMITED, "no entity id can be given right now; try again shortly");
        }
        Entity entity = new Entity(id, player, s.kind());
        entity.set(s.x(), s.y(), s.vx(), s.vy(), clock.getAsLong());
        addEntity(entity);
        broadcast(entity.appeared(s.ref()), null, p -> showSpawn(p, entity));
        replication.publish(entity.change(true, s.ref()));
        return null;
    }

    private Rejection move(Player player, ClientMessage.Move m) {
        Entity entity = entities.get(m.id());
        Rejection refused = checkOwned(player, entity, m.id());
        if (refused == null) {
            refused = checkState(m.x(), m.y(), m.vx(), m.vy());
        }
        if (refused != null) {
            return refused;
        }
        updateEntity(entity, m.x(), m.y(), m.vx(), m.vy(), clock.getAsLong(), player);
        replication.publish(entity.change(false));
        return null;
    }

    private Rejection destroy(Player player, ClientMessage.Destroy d) {
        Entity entity = entities.get(d.id());
        Rejection refused = checkOwned(player, entity, d.id());
        if (refused != null) {
            return refused;
        }
        long now = clock.getAsLong();
        removeEntity(entity);
        sendToViewers(new ServerMessage.Destroyed(entity.id, now), entity, player);
        forgetEverywhere(entity);
        replication.publish(new ReplicatedChange.EntityRemoved(entity.id, now));
        return null;
    }

    /**
     * Sets a player's view. Its checks apply in every universe; where interest management is off a
     * valid view is accepted and ignored. Otherwise the player gets {@code appeared} for what is
     * newly in its area and {@code hidden} for what it is shown and is not any more.
     */
    private Rejection view(Player player, ClientMessage.View v) {
        double maxRadius = settings.interest().maxViewRadius();
        if (!Float.isFinite(v.r()) || v.r() <= 0 || v.r() > maxRadius) {
            return new Rejection(ErrorCode.BAD_MESSAGE, "view radius must be above 0 and at most " + format(maxRadius));
        }
        double bounds = settings.limits().bounds();
        if (!Float.isFinite(v.x()) || !Float.isFinite(v.y()) || Math.abs(v.x()) > bounds || Math.abs(v.y()) > bounds) {
            return new Rejection(ErrorCode.OUT_OF_BOUNDS, "view centre must be finite and within ±" + format(bounds));
        }
        if (interest == null) {
            return null;
        }
        long now = clock.getAsLong();
        boolean first = player.view == null;
        Set<Long> before = first ? new HashSet<>(entities.keySet()) : player.shown;
        player.view = new ViewArea(v.x(), v.y(), v.r());
        if (first) {
            seeingAll.remove(player); // from now on it is told about what it watches
        }
        Set<Long> visible = interest.visibleTo(player, player.view, entities, now);
        int appeared = 0;
        int hidden = 0;
        for (Long id : visible) {
            Entity entity = entities.get(id);
            if (first || !before.contains(id)) {
                entity.watchers.add(player);
            }
            if (!before.contains(id)) {
                player.link.send(entity.appearedAt(now));
                appeared++;
            }
        }
        for (Long id : before) {
            if (!visible.contains(id)) {
                unwatch(player, id);
                player.link.send(new ServerMessage.Hidden(id));
                hidden++;
            }
        }
        player.shown = visible;
        interestObserver.changed(InterestObserver.Trigger.VIEW, appeared, hidden);
        if (!player.isSpectator()) {
            replication.publish(new ReplicatedChange.MemberView(player.number(), v.x(), v.y(), v.r()));
        }
        return null;
    }

    private static Rejection checkOwned(Player player, Entity entity, long id) {
        if (entity == null) {
            return new Rejection(ErrorCode.UNKNOWN_ENTITY, "no entity " + id + " in this universe");
        }
        if (entity.owner != player) {
            return new Rejection(ErrorCode.NOT_OWNER, "entity " + id + " belongs to player " + entity.owner.number());
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
            if (player.isSpectator()) {
                spectators.remove(player.number());
                spectatorsBySubject.remove(player.identity().subject());
                forgetMember(player);
                player.link = null;
            } else if (forGood || settings.graceMillis() <= 0) {
                player.link = null;
                removePlayer(player);
            } else {
                player.link = null;
                player.graceDeadline = clock.getAsLong() + settings.graceMillis();
            }
            return closeIfEmpty();
        }
    }

    /**
     * The interest management tick: files every entity at its extrapolated position and tells each
     * connected player with a view what entered its area ({@code appeared}, current state) and what
     * left it ({@code hidden}). Viewers are compared {@link #SWEEP_STEP} at a time, the lock taken
     * for each step; within a step each event is handed to the fan-out once with all its
     * recipients. Does nothing in a universe without interest management.
     */
    public void sweepInterest() {
        List<Player> viewers;
        synchronized (lock) {
            if (interest == null || closed) {
                return;
            }
            interest.sweep(entities.values(), clock.getAsLong());
            viewers = new ArrayList<>();
            addViewers(players.values(), viewers);
            addViewers(spectators.values(), viewers);
        }
        // The views are compared a step of players at a time, each step under the lock and complete
        // (its events queued before the lock is let go), so that moves wait at most for one step,
        // not for the whole universe's sweep.
        for (int from = 0; from < viewers.size(); from += SWEEP_STEP) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                long now = clock.getAsLong();
                Map<Long, List<PlayerLink>> appearing = new LinkedHashMap<>();
                Map<Long, List<PlayerLink>> hiding = new LinkedHashMap<>();
                collectViewChanges(viewers.subList(from, Math.min(viewers.size(), from + SWEEP_STEP)), now, appearing, hiding);
                int appeared = 0;
                int hidden = 0;
                for (Map.Entry<Long, List<PlayerLink>> e : appearing.entrySet()) {
                    fanout.send(entities.get(e.getKey()).appearedAt(now), e.getValue());
                    appeared += e.getValue().size();
                }
                for (Map.Entry<Long, List<PlayerLink>> e : hiding.entrySet()) {
                    fanout.send(new ServerMessage.Hidden(e.getKey()), e.getValue());
                    hidden += e.getValue().size();
                }
                interestObserver.changed(InterestObserver.Trigger.TICK, appeared, hidden);
            }
        }
    }

    private static void addViewers(Collection<Player> members, List<Player> viewers) {
        for (Player p : members) {
            if (p.view != null) {
                viewers.add(p);
            }
        }
    }

    /**
     * Compares each viewer's view with what it is shown, without building its visible set: what it
     * is shown is checked where it is now (hidden when outside), and what the grid files near the
     * view is shown when inside and not shown yet. Own entities are always shown.
     */
    private void collectViewChanges(Collection<Player> members, long now, Map<Long, List<PlayerLink>> appearing,
                                    Map<Long, List<PlayerLink>> hiding) {
        for (Player p : members) {
            if (p.view == null || p.link == null) {
                continue; // sees everything, or gets a fresh snapshot when it resumes
            }
            ViewArea view = p.view;
            for (java.util.Iterator<Long> shown = p.shown.iterator(); shown.hasNext(); ) {
                Long id = shown.next();
                Entity e = entities.get(id);
                if (e == null) {
                    shown.remove(); // cannot happen: a destroy forgets it everywhere; kept tidy anyway
                } else if (e.owner != p && !view.contains(e.xAt(now), e.yAt(now))) {
                    shown.remove();
                    e.watchers.remove(p);
                    hiding.computeIfAbsent(id, k -> new ArrayList<>()).add(p.link);
                }
            }
            interest.forEachWithin(view, entities, now, e -> {
                if (p.shown.add(e.id)) {
                    e.watchers.add(p);
                    appearing.computeIfAbsent(e.id, k -> new ArrayList<>()).add(p.link);
                }
            });
        }
    }

    /** Lets players whose grace period has ended leave for good. Returns true when the universe closed. */
    public boolean expireGrace() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            long now = clock.getAsLong();
            List<Player> expired = new ArrayList<>();
            for (Player p : players.values()) {
                if (p.link == null && !p.remote && p.graceDeadline <= now) {
                    expired.add(p);
                }
            }
            expired.forEach(this::removePlayer);
            return closeIfEmpty();
        }
    }

    /**
     * Closes every connection of the universe with the given code and empties it; used by admins
     * and shutdown. Entities and players are removed for good.
     */
    public void closeAll(int closeCode, String reason) {
        synchronized (lock) {
            closeLinks(closeCode, reason);
            for (Player p : List.copyOf(players.values())) {
                if (!p.remote) {
                    removePlayer(p); // for good, on every node
                }
            }
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
            closeLinks(closeCode, reason);
            forgetEverything();
        }
    }

    /** Closes the connection of every member of this node; call with the lock held. */
    private void closeLinks(int closeCode, String reason) {
        List<Player> all = new ArrayList<>(players.values());
        all.addAll(spectators.values());
        for (Player p : all) {
            if (p.link != null) {
                p.link.close(closeCode, reason);
                p.link = null;
            }
        }
    }

    private void forgetEverything() {
        players.clear();
        spectators.clear();
        playersBySubject.clear();
        spectatorsBySubject.clear();
        entities.clear();
        seeingAll.clear();
        markClosed();
    }

    /** The numbers of this node's players (connected or in their grace period here). */
    public Set<Long> localPlayerNumbers() {
        synchronized (lock) {
            Set<Long> numbers = new HashSet<>();
            for (Player p : players.values()) {
                if (!p.remote) {
                    numbers.add(p.number());
                }
            }
            return numbers;
        }
    }

    /** The states of this node's players' entities, to write again to a shared store that missed them. */
    public List<ReplicatedChange.EntitySet> localEntityStates() {
        synchronized (lock) {
            List<ReplicatedChange.EntitySet> states = new ArrayList<>();
            for (Entity e : entities.values()) {
                if (!e.owner.remote) {
                    states.add(e.change(false));
                }
            }
            return states;
        }
    }

    /**
     * Removes a player (or spectator) for good, as if it had left cleanly, and closes its connection
     * with the given code. Returns false when no such member exists; true when it was removed.
     */
    public boolean kick(long number, int closeCode, String reason) {
        synchronized (lock) {
            Player member = players.containsKey(number) ? players.get(number) : spectators.get(number);
            if (member == null || member.remote || closed) {
                return false;
            }
            PlayerLink link = member.link;
            member.link = null;
            if (member.isSpectator()) {
                spectators.remove(number);
                spectatorsBySubject.remove(member.identity().subject());
                forgetMember(member);
            } else {
                removePlayer(member);
            }
            if (link != null) {
                link.close(closeCode, reason);
            }
            closeIfEmpty();
            return true;
        }
    }

    /** Who is in the universe, for operators. */
    public List<MemberView> members() {
        synchronized (lock) {
            List<MemberView> result = new ArrayList<>();
            for (Player p : players.values()) {
                result.add(new MemberView(p.number(), p.identity().name(), false, p.link != null || p.remote,
                        p.entityIds.size()));
            }
            for (Player s : spectators.values()) {
                result.add(new MemberView(s.number(), s.identity().name(), true, s.link != null, 0));
            }
            return result;
        }
    }

    /** One member as operators see it; {@code connected} is false during the resume grace period. */
    public record MemberView(long player, String name, boolean spectator, boolean connected, int entities) {
    }

    /** Removes a player of this node for good: its entities are destroyed, then it has left, on every node. */
    private void removePlayer(Player player) {
        long now = clock.getAsLong();
        for (Long id : List.copyOf(player.entityIds)) {
            replication.publish(new ReplicatedChange.EntityRemoved(id, now));
        }
        replication.publish(new ReplicatedChange.MemberLeft(player.number()));
        forgetPlayer(player, now);
    }

    /** Takes a player and what is left of its entities out of this copy, telling this node's players. */
    private void forgetPlayer(Player player, long now) {
        players.remove(player.number());
        playersBySubject.remove(player.identity().subject(), player);
        forgetMember(player);
        for (Long id : List.copyOf(player.entityIds)) {
            Entity entity = entities.get(id);
            removeEntity(entity);
            sendToViewers(new ServerMessage.Destroyed(id, now), entity, null);
            forgetEverywhere(entity);
        }
        broadcast(new ServerMessage.Left(player.number()), null, EVERYONE);
    }

    private void addEntity(Entity entity) {
        entities.put(entity.id, entity);
        entity.owner.entityIds.add(entity.id);
        if (interest != null) {
            interest.place(entity);
        }
    }

    /** Sets an entity's state and sends its {@code velocity} to those shown it, {@code except} its mover. */
    private void updateEntity(Entity entity, float x, float y, float vx, float vy, long time, Player except) {
        entity.set(x, y, vx, vy, time);
        if (interest != null) {
            interest.place(entity);
        }
        sendToViewers(new ServerMessage.Velocity(entity.id, x, y, vx, vy, time), entity, except);
    }

    /** A member leaves for good: it sees nothing any more and watches nothing. */
    private void forgetMember(Player member) {
        seeingAll.remove(member);
        for (Long id : member.shown) {
            unwatch(member, id);
        }
        member.shown = new HashSet<>();
    }

    /** The member is not shown the entity any more (the caller updates {@link Player#shown}). */
    private void unwatch(Player member, long id) {
        Entity entity = entities.get(id);
        if (entity != null) {
            entity.watchers.remove(member);
        }
    }

    /** Whether the {@code appeared} of a spawn is for this member; if so, it is shown the entity from now on. */
    private boolean showSpawn(Player member, Entity entity) {
        if (member.view == null) {
            return true;
        }
        if (entity.owner == member || member.view.contains(entity.x, entity.y)) {
            member.shown.add(entity.id);
            entity.watchers.add(member);
            return true;
        }
        return false;
    }

    /**
     * Sends an event about one entity to the connected members that see everything or are shown the
     * entity, but {@code except}: its watchers, not the whole universe. Call with the lock held.
     */
    private void sendToViewers(ServerMessage message, Entity entity, Player except) {
        tap(message);
        recipients.clear();
        for (Player p : seeingAll) {
            if (p != except && p.link != null) {
                recipients.add(p.link);
            }
        }
        for (Player p : entity.watchers) {
            if (p != except && p.link != null) {
                recipients.add(p.link);
            }
        }
        if (!recipients.isEmpty()) {
            fanout.send(message, recipients);
        }
        recipients.clear();
    }

    /** A destroyed entity: nobody is shown it any more. */
    private void forgetEverywhere(Entity entity) {
        for (Player p : entity.watchers) {
            p.shown.remove(entity.id);
        }
        entity.watchers.clear();
    }

    private void removeEntity(Entity entity) {
        entities.remove(entity.id);
        entity.owner.entityIds.remove(entity.id);
        if (interest != null) {
            interest.remove(entity.id);
        }
    }

    /** Closes this copy when no member of this node is left (other nodes' members do not keep it here). */
    private boolean closeIfEmpty() {
        if (closed) {
            return true;
        }
        if (spectators.isEmpty() && players.values().stream().allMatch(p -> p.remote)) {
            markClosed();
        }
        return closed;
    }

    private void markClosed() {
        if (!closed) {
            closed = true;
            taps.forEach(t -> t.ended(clock.getAsLong()));
            taps.clear();
            replication.close();
        }
    }

    /**
     * Applies a change another node made (or the shared store made on behalf of a lost node) and
     * tells this node's players what they see of it, under the same rules as local changes. A
     * change this copy cannot place (an unknown owner, an entity already gone) is ignored: it
     * comes from a member this node never knew, or repeats what the snapshot already held.
     */
    public void applyRemote(ReplicatedChange change) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            // A switch expression, so that a new type of change must be handled here (ReplicatedChange.Type).
            Runnable apply = switch (change.type()) {
                case ENTITY_SET -> () -> applyEntitySet((ReplicatedChange.EntitySet) change);
                case ENTITY_REMOVED -> () -> applyEntityRemoved((ReplicatedChange.EntityRemoved) change);
                case MEMBER_JOINED -> () -> applyMemberJoined((ReplicatedChange.MemberJoined) change);
                case MEMBER_MOVED -> () -> applyMemberMoved((ReplicatedChange.MemberMoved) change);
                case MEMBER_LEFT -> () -> applyMemberLeft((ReplicatedChange.MemberLeft) change);
                case MEMBER_VIEW -> () -> applyMemberView((ReplicatedChange.MemberView) change);
                // changes nothing that players see: the member stays until it resumes or leaves
                case MEMBER_ORPHANED -> () -> { };
            };
            apply.run();
        }
    }

    private void applyEntityRemoved(ReplicatedChange.EntityRemoved removed) {
        Entity entity = entities.get(removed.id());
        if (entity != null) {
            removeEntity(entity);
            sendToViewers(new ServerMessage.Destroyed(entity.id, removed.time()), entity, null);
            forgetEverywhere(entity);
        }
    }

    private void applyMemberJoined(ReplicatedChange.MemberJoined joined) {
        if (!players.containsKey(joined.number())) {
            Player player = new Player(joined.number(), new PlayerIdentity(joined.subject(), joined.name(), false), null);
            player.remote = true;
            playersBySubject.put(joined.subject(), player);
            broadcast(new ServerMessage.Joined(player.number(), joined.name()), null, EVERYONE);
            players.put(player.number(), player);
        }
    }

    private void applyMemberMoved(ReplicatedChange.MemberMoved moved) {
        Player player = players.get(moved.number());
        if (player != null && !player.remote) {
            if (player.link != null) {
                player.link.close(CloseCodes.REPLACED, "replaced by a newer connection on another node");
            }
            player.link = null;
            player.remote = true;
            forgetMember(player); // what it is shown is the other node's business now; its view stays
            closeIfEmpty();
        }
    }

    private void applyMemberLeft(ReplicatedChange.MemberLeft left) {
        Player player = players.get(left.number());
        if (player != null) {
            if (player.link != null) {
                player.link.close(CloseCodes.TRY_AGAIN_LATER, "this node lost touch with the others; please reconnect");
            }
            forgetPlayer(player, clock.getAsLong());
            if (!player.remote) {
                closeIfEmpty();
            }
        }
    }

    private void applyMemberView(ReplicatedChange.MemberView view) {
        Player player = players.get(view.number());
        if (player != null && player.remote) {
            player.view = new ViewArea(view.x(), view.y(), view.r());
        }
    }

    private void applyEntitySet(ReplicatedChange.EntitySet set) {
        Entity entity = entities.get(set.id());
        if (entity != null) {
            if (entity.owner.number() == set.owner()) {
                updateEntity(entity, set.x(), set.y(), set.vx(), set.vy(), set.time(), null);
            }
            return;
        }
        Player owner = players.get(set.owner());
        if (owner == null) {
            return;
        }
        Entity created = new Entity(set.id(), owner, set.kind());
        created.set(set.x(), set.y(), set.vx(), set.vy(), set.time());
        addEntity(created);
        broadcast(created.appeared(set.ref()), null, p -> showSpawn(p, created));
    }

    /**
     * Brings this copy in line with the shared store after this node lost touch with it for a while
     * (and so may have missed changes): members and entities of other nodes that are gone are
     * removed ({@code destroyed}, {@code left}), new ones added, and states refreshed. This node's
     * own players and entities are kept: they are the truth the others will get again.
     */
    public void reconcile(List<ReplicatedChange.MemberJoined> members, List<ReplicatedChange.EntitySet> states) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            long now = clock.getAsLong();
            Set<Long> memberNumbers = new HashSet<>();
            members.forEach(m -> memberNumbers.add(m.number()));
            Set<Long> entityIds = new HashSet<>();
            states.forEach(e -> entityIds.add(e.id()));
            for (Player p : List.copyOf(players.values())) {
                if (p.remote && !memberNumbers.contains(p.number())) {
                    forgetPlayer(p, now);
                }
            }
            for (Entity e : List.copyOf(entities.values())) {
                if (e.owner.remote && !entityIds.contains(e.id)) {
                    removeEntity(e);
                    sendToViewers(new ServerMessage.Destroyed(e.id, now), e, null);
                    forgetEverywhere(e);
                }
            }
            members.forEach(this::applyRemote); // the lock is reentrant
            for (ReplicatedChange.EntitySet state : states) {
                Entity known = entities.get(state.id());
                if (known == null || (known.owner.remote && known.serverTime != state.time())) {
                    applyEntitySet(state);
                }
            }
        }
    }

    /** Tells {@code tap} the state now, then every change until it is detached or the universe closes. */
    public void attach(UniverseTap tap) {
        synchronized (lock) {
            List<ServerMessage.PlayerInfo> present = new ArrayList<>(players.size());
            players.values().forEach(p -> present.add(new ServerMessage.PlayerInfo(p.number(), p.identity().name())));
            tap.started(name, clock.getAsLong(), present, entities());
            if (closed) {
                tap.ended(clock.getAsLong());
            } else {
                taps.add(tap);
            }
        }
    }

    public void detach(UniverseTap tap) {
        synchronized (lock) {
            taps.remove(tap);
        }
    }

    /** Hands a change to the taps; call with the lock held. */
    private void tap(ServerMessage message) {
        for (int i = 0; i < taps.size(); i++) {
            taps.get(i).event(message, clock.getAsLong());
        }
    }

    /**
     * Sends to every connected member but {@code except} that the message is for; call with the
     * lock held. {@code isFor} is asked about every member, {@code except} and members in their
     * grace period included, since it also records what each member is shown.
     */
    private void broadcast(ServerMessage message, Player except, Predicate<Player> isFor) {
        tap(message);
        recipients.clear();
        addRecipients(players.values(), except, isFor);
        addRecipients(spectators.values(), except, isFor);
        if (!recipients.isEmpty()) {
            fanout.send(message, recipients);
        }
        recipients.clear();
    }

    private void addRecipients(Collection<Player> members, Player except, Predicate<Player> isFor) {
        for (Player p : members) {
            if (isFor.test(p) && p != except && p.link != null) {
                recipients.add(p.link);
            }
        }
    }

    /** The state of every entity, as a late joiner would get it. */
    public List<Appeared> entities() {
        synchronized (lock) {
            List<Appeared> snapshot = new ArrayList<>(entities.size());
            for (Entity e : entities.values()) {
                snapshot.add(e.appeared(0));
            }
            return snapshot;
        }
    }

    /** Counts for the HTTP API and metrics. */
    public Summary summary() {
        synchronized (lock) {
            return new Summary(name, players.size(), spectators.size(), entities.size(), createdAt);
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
}
