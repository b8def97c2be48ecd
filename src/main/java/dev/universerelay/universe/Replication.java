package dev.universerelay.universe;

/**
 * One universe's tie to the other nodes serving it. A universe on a single node has nothing to
 * share ({@link SingleNode}); with several nodes its changes go to the others and theirs come back
 * through {@link Universe#applyRemote}.
 */
public interface Replication {

    /**
     * An entity id no node has given in this universe; may wait briefly for a new block of ids.
     *
     * @throws IllegalStateException when no id can be had now (the shared store is unreachable)
     */
    long nextEntityId();

    /**
     * A change made on this node, called under the universe's lock in the universe's order.
     * Must not block: implementations queue it.
     */
    void publish(ReplicatedChange change);

    /** The universe has no member on this node any more and is being forgotten here. */
    void close();
}
