package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.List;

/**
 * Who is told what happens to which entity: the one place that picks the recipients of entity
 * events, so that the rest of the universe says what happened and never whom to tell. Two
 * strategies: {@link EveryoneSeesAll} where interest management is off, {@link InterestManagement}
 * where players may ask to see only an area (docs/protocol.md section 13). Each keeps its own
 * invariant: every member served here gets the events of exactly the entities it was shown, from
 * the {@code appeared} (in its welcome or later) to the {@code hidden} or {@code destroyed}.
 *
 * <p>Every method is called with the universe's lock held and only queues messages.
 */
interface Visibility {

    /** The strategy the settings ask for. */
    static Visibility of(UniverseSettings settings, long createdAt, Roster roster, Entities entities,
                         Recipients recipients, InterestObserver observer) {
        return settings.interest().enabled()
                ? new InterestManagement(settings, createdAt, roster, entities, recipients, observer)
                : new EveryoneSeesAll(entities, recipients);
    }

    /** A member starts to be served by this node: it is new, or it arrives from another node. */
    void entered(Player member);

    /**
     * A member is not served by this node any more (it left, or moved to another node): it is
     * told nothing from now on and shown nothing. A view it sent is kept for when it comes back.
     */
    void left(Player member);

    /** The entities a member is shown in its {@code welcome}; from then on it gets their events. */
    List<ServerMessage.Appeared> snapshotFor(Player member, long now);

    /** A new entity: its {@code appeared} goes to those it is for. */
    void spawned(Entity entity, ServerMessage.Appeared appeared);

    /** An entity's new state: its {@code velocity} goes to those shown the entity, but {@code except}. */
    void moved(Entity entity, ServerMessage.Velocity velocity, Player except);

    /** An entity is gone: its {@code destroyed} goes to those shown it, but {@code except}; nobody is shown it any more. */
    void destroyed(Entity entity, ServerMessage.Destroyed destroyed, Player except);

    /**
     * A member of this node asks to see an area (already checked by the {@link Rules}). Returns
     * whether the view was taken, so that other nodes learn it; a universe where everyone sees
     * everything accepts it and ignores it.
     */
    boolean view(Player member, ViewArea area, long now);

    /** Another node's member sees {@code area} there; kept for when it comes to this node. */
    void remoteView(Player member, ViewArea area);

    /** The interest tick, first part: files entities where they are now and names the members to compare. */
    List<Player> viewersToSweep(long now);

    /** The interest tick, one step: tells each of {@code viewers} what entered and left its area. */
    void sweep(List<Player> viewers, long now);
}
