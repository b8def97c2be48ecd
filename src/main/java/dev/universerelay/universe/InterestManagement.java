package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The visibility of a universe with interest management (docs/protocol.md section 13). A member
 * that sent no view sees everything, as in {@link EveryoneSeesAll}; a member with a view is told
 * about the entities it is shown: its own, and those its area held when last compared (at its view,
 * at a spawn, or at the periodic {@link #sweep}).
 *
 * <p>What a member with a view is shown is a two-way index: {@link Player#shown} (ids, to compare a
 * view with) and {@link Entity#watchers} (members, so that a move costs its watchers and not the
 * universe). This class is the only one that writes either side, and every method leaves them
 * mirror images of each other.
 */
final class InterestManagement implements Visibility {
    private final Roster roster;
    private final Entities entities;
    private final Recipients recipients;
    private final InterestObserver observer;
    /** Where the entities are, to find what an area holds without a look at every entity. */
    private final InterestIndex index;
    /** The members of this node without a view. */
    private final EveryoneSeesAll withoutView;

    InterestManagement(UniverseSettings settings, long createdAt, Roster roster, Entities entities,
                       Recipients recipients, InterestObserver observer) {
        this.roster = roster;
        this.entities = entities;
        this.recipients = recipients;
        this.observer = observer;
        this.index = new InterestIndex(settings.interest().cellSize(), settings.limits().maxSpeed(), createdAt);
        this.withoutView = new EveryoneSeesAll(entities, recipients);
    }

    @Override
    public void entered(Player member) {
        if (member.view == null) {
            withoutView.entered(member); // a member arriving from another node with a view gets its area in its welcome
        }
    }

    @Override
    public void left(Player member) {
        withoutView.left(member);
        for (Long id : member.shown) {
            unwatch(member, id);
        }
        member.shown = new HashSet<>();
    }

    /** Everything without a view; with one (a member resuming), its area and its own, which it is shown from now on. */
    @Override
    public List<ServerMessage.Appeared> snapshotFor(Player member, long now) {
        if (member.view == null) {
            return entities.snapshot();
        }
        Set<Long> visible = index.visibleTo(member, member.view, entities.byId(), now);
        for (Long id : member.shown) {
            if (!visible.contains(id)) {
                unwatch(member, id);
            }
        }
        for (Long id : visible) {
            entities.get(id).watchers.add(member);
        }
        member.shown = visible;
        List<ServerMessage.Appeared> snapshot = new ArrayList<>(visible.size());
        for (Entity e : entities.all()) {
            if (visible.contains(e.id)) {
                snapshot.add(e.appeared(0));
            }
        }
        return snapshot;
    }

    /**
     * Every member is asked, those in their grace period and of other nodes included, so that what
     * each is shown stays true for when it gets a welcome here.
     */
    @Override
    public void spawned(Entity entity, ServerMessage.Appeared appeared) {
        index.place(entity);
        for (Player p : roster.players()) {
            addIfShownSpawn(p, entity);
        }
        for (Player p : roster.spectators()) {
            addIfShownSpawn(p, entity);
        }
        recipients.send(appeared);
    }

    /** A member without a view gets a spawn; one with a view, if it owns it or its area holds it, and is shown it from then on. */
    private void addIfShownSpawn(Player member, Entity entity) {
        if (member.view == null) {
            recipients.add(member, null);
        } else if (entity.owner == member || member.view.contains(entity.x, entity.y)) {
            member.shown.add(entity.id);
            entity.watchers.add(member);
            recipients.add(member, null);
        }
    }

    @Override
    public void moved(Entity entity, ServerMessage.Velocity velocity, Player except) {
        index.place(entity);
        addViewers(entity, except);
        recipients.send(velocity);
    }

    @Override
    public void destroyed(Entity entity, ServerMessage.Destroyed destroyed, Player except) {
        index.remove(entity.id);
        addViewers(entity, except);
        recipients.send(destroyed);
        for (Player p : entity.watchers) {
            p.shown.remove(entity.id);
        }
        entity.watchers.clear();
    }

    /** Those that see everything and those shown the entity, but {@code except}. */
    private void addViewers(Entity entity, Player except) {
        withoutView.addAudience(except);
        for (Player p : entity.watchers) {
            recipients.add(p, except);
        }
    }

    /**
     * The member gets {@code appeared} for what is newly in its area and {@code hidden} for what it
     * was shown and is not any more; its first view hides everything outside it.
     */
    @Override
    public boolean view(Player member, ViewArea area, long now) {
        boolean first = member.view == null;
        Set<Long> before = first ? new HashSet<>(entities.ids()) : member.shown;
        member.view = area;
        if (first) {
            withoutView.left(member); // from now on it is told about what it watches
        }
        Set<Long> visible = index.visibleTo(member, area, entities.byId(), now);
        int appeared = 0;
        int hidden = 0;
        for (Long id : visible) {
            Entity entity = entities.get(id);
            if (first || !before.contains(id)) {
                entity.watchers.add(member);
            }
            if (!before.contains(id)) {
                member.link.send(entity.appearedAt(now));
                appeared++;
            }
        }
        for (Long id : before) {
            if (!visible.contains(id)) {
                unwatch(member, id);
                member.link.send(new ServerMessage.Hidden(id));
                hidden++;
            }
        }
        member.shown = visible;
        observer.changed(InterestObserver.Trigger.VIEW, appeared, hidden);
        return true;
    }

    @Override
    public void remoteView(Player member, ViewArea area) {
        member.view = area;
    }

    @Override
    public List<Player> viewersToSweep(long now) {
        index.sweep(entities.all(), now);
        List<Player> viewers = new ArrayList<>();
        for (Player p : roster.players()) {
            if (p.view != null) {
                viewers.add(p);
            }
        }
        for (Player p : roster.spectators()) {
            if (p.view != null) {
                viewers.add(p);
            }
        }
        return viewers;
    }

    /**
     * Compares each viewer's area with what it is shown, without building its visible set: what it
     * is shown is checked where it is now (hidden when outside), and what the grid files near the
     * area is shown when inside and not shown yet. Own entities are always shown. Each event is
     * handed to the fan-out once, with all its recipients of this step.
     */
    @Override
    public void sweep(List<Player> viewers, long now) {
        Map<Long, List<PlayerLink>> appearing = new LinkedHashMap<>();
        Map<Long, List<PlayerLink>> hiding = new LinkedHashMap<>();
        for (Player p : viewers) {
            if (p.view == null || p.link == null) {
                continue; // gets a fresh snapshot when it resumes
            }
            ViewArea view = p.view;
            for (Iterator<Long> shown = p.shown.iterator(); shown.hasNext(); ) {
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
            index.forEachWithin(view, entities.byId(), now, e -> {
                if (p.shown.add(e.id)) {
                    e.watchers.add(p);
                    appearing.computeIfAbsent(e.id, k -> new ArrayList<>()).add(p.link);
                }
            });
        }
        int appeared = 0;
        int hidden = 0;
        for (Map.Entry<Long, List<PlayerLink>> e : appearing.entrySet()) {
            recipients.send(entities.get(e.getKey()).appearedAt(now), e.getValue());
            appeared += e.getValue().size();
        }
        for (Map.Entry<Long, List<PlayerLink>> e : hiding.entrySet()) {
            recipients.send(new ServerMessage.Hidden(e.getKey()), e.getValue());
            hidden += e.getValue().size();
        }
        observer.changed(InterestObserver.Trigger.TICK, appeared, hidden);
    }

    /** The member is not shown the entity any more (the caller updates {@link Player#shown}). */
    private void unwatch(Player member, long id) {
        Entity entity = entities.get(id);
        if (entity != null) {
            entity.watchers.remove(member);
        }
    }
}
