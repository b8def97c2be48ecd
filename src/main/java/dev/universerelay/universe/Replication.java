package dev.universerelay.universe;

/**
 * One universe's tie to the other nodes serving it. A universe on a single node has nothing to
 * share ({@link SingleNode}); with several nodes its changes go to the others and theirs come back
 * through {@link Universe#applyRemote}.
 *
 * <p>The universe's lock is never held across I/O (docs/architecture.md, "Threads and locks"), so
 * each method says whether it is called with the lock held: those that are ({@link #nextEntityId},
 * {@link #publish}, {@link #close}) must only read memory or queue work; those that are not
 * ({@link #load}, {@link #reserveEntityIds}) may talk to the shared store.
 */
public interface Replication {

    /**
     * Brings the universe up to what the other nodes hold of it (through {@link Universe#applyRemote})
     * and reserves its first entity ids; from then on the other nodes' changes keep arriving. Called
     * once, by {@link Universe#open}, before the universe is published to joiners, with no lock
     * held. May wait for the shared store (bounded).
     *
     * @throws IllegalStateException when the shared store cannot be reached
     */
    void load();

    /**
     * An entity id no node has given in this universe, from the ids reserved ahead. Called with the
     * universe's lock held: must not wait.
     *
     * @throws IllegalStateException when no reserved id is left (the spawn is refused; the call to
     *                               {@link #reserveEntityIds} that follows every spawn reserves more)
     */
    long nextEntityId();

    /**
     * Reserves the next block of entity ids when those left run low. Called after every spawn,
     * without the universe's lock, on the player's event loop: may start I/O, must not wait for it.
     */
    void reserveEntityIds();

    /**
     * A change made on this node, called under the universe's lock in the universe's order.
     * Must not block: implementations queue it.
     */
    void publish(ReplicatedChange change);

    /**
     * The universe has no member on this node any more and is being forgotten here. Called under
     * the universe's lock: must not block (implementations queue the unsubscribing).
     */
    void close();
}
