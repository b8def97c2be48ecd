package dev.universerelay.universe;

import dev.universerelay.protocol.ClientMessage;
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
    private long nextPlayerNumber = 1;
    private long nextEntityId = 1;
    private boolean closed;

    public Universe(String name, UniverseSettings settings, LongSupplier clock, Fanout fanout, Supplier<String> resumeTokens) {
        this(name, settings, clock, fanout, resumeTokens, InterestObserver.NONE);
    }

    /** A universe whose interest management reports what it showed and hid to {@code interestObserver}. */
    public Universe(String name, UniverseSettings settings, LongSupplier clock, Fanout fanout, Supplier<String> resumeTokens,
                    InterestObserver interestObserver) {
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
    }

    public String name() {
        return name;
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
                if (existing.link != null) {
                    existing.link.close(dev.universerelay.protocol.CloseCodes.REPLACED, "replaced by a newer connection");
                }
                existing.link = link;
                existing.graceDeadline = 0;
                sendWelcome(existing);
                return new JoinResult.Entered(existing, true);
            }
            if (!identity.spectator() && settings.maxPlayers() > 0 && players.size() >= settings.maxPlayers()) {
                return new JoinResult.Full();
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
        Entity entity = new Entity(nextEntityId++, player, s.kind());
        entity.set(s.x(), s.y(), s.vx(), s.vy(), clock.getAsLong());
        entities.put(entity.id, entity);
        player.entityIds.add(entity.id);
        if (interest != null) {
            interest.place(entity);
        }
        broadcast(entity.appeared(s.ref()), null, p -> showSpawn(p, entity));
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
        long now = clock.getAsLong();
        entity.set(m.x(), m.y(), m.vx(), m.vy(), now);
        if (interest != null) {
            interest.place(entity);
        }
        sendToViewers(new ServerMessage.Velocity(entity.id, m.x(), m.y(), m.vx(), m.vy(), now), entity, player);
        return null;
    }

    private Rejection destroy(Player player, ClientMessage.Destroy d) {
        Entity entity = entities.get(d.id());
        Rejection refused = checkOwned(player, entity, d.id());
        if (refused != null) {
            return refused;
        }
        removeEntity(entity);
        sendToViewers(new ServerMessage.Destroyed(entity.id, clock.getAsLong()), entity, player);
        forgetEverywhere(entity);
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
                if (p.link == null && p.graceDeadline <= now) {
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
            List<Player> all = new ArrayList<>(players.values());
            all.addAll(spectators.values());
            for (Player p : all) {
                if (p.link != null) {
                    p.link.close(closeCode, reason);
                    p.link = null;
                }
            }
            players.clear();
            spectators.clear();
            playersBySubject.clear();
            spectatorsBySubject.clear();
            entities.clear();
            seeingAll.clear();
            closed = true;
        }
    }

    /**
     * Removes a player (or spectator) for good, as if it had left cleanly, and closes its connection
     * with the given code. Returns false when no such member exists; true when it was removed.
     */
    public boolean kick(long number, int closeCode, String reason) {
        synchronized (lock) {
            Player member = players.containsKey(number) ? players.get(number) : spectators.get(number);
            if (member == null || closed) {
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
                result.add(new MemberView(p.number(), p.identity().name(), false, p.link != null, p.entityIds.size()));
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

    private void removePlayer(Player player) {
        players.remove(player.number());
        playersBySubject.remove(player.identity().subject());
        forgetMember(player);
        long now = clock.getAsLong();
        for (Long id : List.copyOf(player.entityIds)) {
            Entity entity = entities.get(id);
            removeEntity(entity);
            sendToViewers(new ServerMessage.Destroyed(id, now), entity, null);
            forgetEverywhere(entity);
        }
        broadcast(new ServerMessage.Left(player.number()), null, EVERYONE);
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

    private boolean closeIfEmpty() {
        if (players.isEmpty() && spectators.isEmpty()) {
            closed = true;
        }
        return closed;
    }

    /**
     * Sends to every connected member but {@code except} that the message is for; call with the
     * lock held. {@code isFor} is asked about every member, {@code except} and members in their
     * grace period included, since it also records what each member is shown.
     */
    private void broadcast(ServerMessage message, Player except, Predicate<Player> isFor) {
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
