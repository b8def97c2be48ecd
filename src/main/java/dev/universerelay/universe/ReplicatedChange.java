package dev.universerelay.universe;

/**
 * A change of a universe that every node serving it must learn, in the order its origin made it.
 * Nodes exchange these instead of wire messages because a node needs more than its players see
 * (the subject of a member, the owner and kind of every entity), and because other nodes apply
 * them to their copy of the universe without checking them again: only the node of the player who
 * acted validates it (docs/cluster.md).
 */
public sealed interface ReplicatedChange {

    /**
     * Which change this is. Java 17 has no pattern matching in {@code switch} (a preview feature
     * there, and the build compiles for release 17 without previews), so code that must handle every
     * type of change switches over this enum in a {@code switch} expression without a
     * {@code default}: a new record must name its type here, and every such switch then stops
     * compiling until it handles the new type. Each record returns its own constant, so the cast
     * after a {@code case} is always right. With Java 21 these switches become switches over the
     * sealed type itself.
     */
    enum Type { MEMBER_JOINED, MEMBER_MOVED, MEMBER_ORPHANED, MEMBER_VIEW, MEMBER_LEFT, ENTITY_SET, ENTITY_REMOVED }

    /** This change's type (see {@link Type}). */
    Type type();

    /** A player entered the universe on some node and got its number. */
    record MemberJoined(long number, String subject, String name) implements ReplicatedChange {
        @Override
        public Type type() {
            return Type.MEMBER_JOINED;
        }
    }

    /** A player's connection is now on {@code node}: any older connection elsewhere is replaced (4009). */
    record MemberMoved(long number, String node) implements ReplicatedChange {
        @Override
        public Type type() {
            return Type.MEMBER_MOVED;
        }
    }

    /**
     * A player's node is gone; the player keeps its number and entities until {@code graceDeadline}
     * (epoch milliseconds) unless it reconnects to some node before.
     */
    record MemberOrphaned(long number, long graceDeadline) implements ReplicatedChange {
        @Override
        public Type type() {
            return Type.MEMBER_ORPHANED;
        }
    }

    /**
     * A player's view (interest management): the other nodes keep it so that the player, resuming on
     * any of them, keeps its view as it would on one node.
     */
    record MemberView(long number, float x, float y, float r) implements ReplicatedChange {
        @Override
        public Type type() {
            return Type.MEMBER_VIEW;
        }
    }

    /** A player left for good; its entities were removed before. */
    record MemberLeft(long number) implements ReplicatedChange {
        @Override
        public Type type() {
            return Type.MEMBER_LEFT;
        }
    }

    /**
     * An entity's whole last state: spawned ({@code spawned}, with the spawn's {@code ref}, which
     * every player is shown in {@code appeared} as on one node) or moved ({@code ref} 0).
     */
    record EntitySet(boolean spawned, long id, long owner, int kind, float x, float y, float vx, float vy, long time,
                     long ref) implements ReplicatedChange {
        @Override
        public Type type() {
            return Type.ENTITY_SET;
        }

        /** A state without a spawn's ref: a move, or an entity as a snapshot holds it. */
        public EntitySet(boolean spawned, long id, long owner, int kind, float x, float y, float vx, float vy, long time) {
            this(spawned, id, owner, kind, x, y, vx, vy, time, 0);
        }
    }

    /** An entity was destroyed, by its owner or because its owner left. */
    record EntityRemoved(long id, long time) implements ReplicatedChange {
        @Override
        public Type type() {
            return Type.ENTITY_REMOVED;
        }
    }
}
