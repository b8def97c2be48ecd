package dev.universerelay.universe;

/**
 * What the universes of a node need from the other nodes: a replication per universe, and player
 * numbers that are unique across nodes. The single-node implementation decides nothing and lets
 * each universe number its own players; the Redis one (package cluster) decides in Redis.
 */
public interface Cluster {

    /**
     * The tie of a universe this node is about to serve, called from the universe's constructor:
     * returns at once, nothing loaded yet. {@link Universe#open} then loads it
     * ({@link Replication#load}) before the registry lets anyone join.
     */
    Replication replicate(Universe universe);

    /**
     * Decides which player a subject is in a universe shared with other nodes: an existing one
     * (resumed, perhaps from another node) or a new number. A spectator only gets a number no
     * player or spectator of any node has (spectators stay on their node). May block briefly. A
     * single node answers {@link Claim.Undecided}: the universe decides under its own lock.
     * Called with no lock held.
     */
    Claim claim(String universe, PlayerIdentity identity, int maxPlayers);

    /** Whether this node can take new players now (the shared store is reachable). */
    boolean isReady();

    /** The answer to a claim. */
    sealed interface Claim {
        /** The subject is player {@code number}; {@code existing}: it was a member before. */
        record Granted(long number, boolean existing) implements Claim {
        }

        /** The universe holds its maximum number of players across all nodes. */
        record Full() implements Claim {
        }

        /** Nothing shared: let the universe number its players itself. */
        record Undecided() implements Claim {
        }
    }

    /** One node alone. */
    Cluster SINGLE_NODE = new Cluster() {
        @Override
        public Replication replicate(Universe universe) {
            return new SingleNode();
        }

        @Override
        public Claim claim(String universe, PlayerIdentity identity, int maxPlayers) {
            return new Claim.Undecided();
        }

        @Override
        public boolean isReady() {
            return true;
        }
    };
}
