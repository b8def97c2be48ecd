package dev.universerelay.protocol;

/**
 * An action a client sends. Values are already range-checked for their wire types (u32, u16,
 * finite JSON numbers); game rules (bounds, speed, ownership) are the universe's job.
 */
public sealed interface ClientMessage extends InboundItem {

    /** The client's own number for a spawn, echoed in {@code appeared}; 0 for other types. */
    default long ref() {
        return 0;
    }

    /**
     * Which message this is. Java 17 has no pattern matching in {@code switch}, so code that must
     * handle every client message (the codecs, the metrics, the universe's dispatch) switches over
     * this enum in a {@code switch} expression without a {@code default}: a new record must name its
     * kind here, and every such switch then stops compiling until it handles it. Each record returns
     * its own constant, so the cast after a {@code case} is always right (docs/architecture.md,
     * "Choices and why"). The accessor is {@code messageKind()} because {@code kind} is already a
     * field of {@link Spawn} (the entity's kind).
     */
    enum Kind {
        SPAWN("spawn"),
        MOVE("move"),
        DESTROY("destroy"),
        PING("ping"),
        /** Interest management extension (docs/protocol.md section 13). */
        VIEW("view");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The message's {@code t} on the JSON wire, and its {@code type} tag in the metrics. */
        public String wireName() {
            return wireName;
        }

        /** The kind whose {@code t} this is, or null for a name the protocol does not have. */
        public static Kind ofWireName(String name) {
            for (Kind kind : values()) {
                if (kind.wireName.equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** This message's kind (see {@link Kind}). */
    Kind messageKind();

    /** The message's {@code t} on the JSON wire. */
    default String type() {
        return messageKind().wireName();
    }

    record Spawn(long ref, int kind, float x, float y, float vx, float vy) implements ClientMessage {
        @Override
        public Kind messageKind() {
            return Kind.SPAWN;
        }
    }

    /**
     * {@code seq} asks the server to acknowledge the move to its sender (input acknowledgement
     * extension, docs/protocol.md section 14): an {@code ack} when applied, or an {@code error}
     * carrying the {@code seq} when refused. {@link ProtocolConstants#NO_SEQ} asks for nothing.
     */
    record Move(long id, float x, float y, float vx, float vy, long seq) implements ClientMessage {

        /** A v1 move, without a {@code seq}. */
        public Move(long id, float x, float y, float vx, float vy) {
            this(id, x, y, vx, vy, ProtocolConstants.NO_SEQ);
        }

        /** Whether the sender wants an {@code ack} or an {@code error} with the {@code seq}. */
        public boolean wantsAck() {
            return seq != ProtocolConstants.NO_SEQ;
        }

        @Override
        public Kind messageKind() {
            return Kind.MOVE;
        }
    }

    record Destroy(long id) implements ClientMessage {
        @Override
        public Kind messageKind() {
            return Kind.DESTROY;
        }
    }

    record Ping(double clientTime) implements ClientMessage {
        @Override
        public Kind messageKind() {
            return Kind.PING;
        }
    }

    /**
     * The area a player wants to see (interest management, docs/protocol.md section 13): a circle
     * of radius {@code r} around {@code (x, y)}. Its ranges are the universe's rules.
     */
    record View(float x, float y, float r) implements ClientMessage {
        @Override
        public Kind messageKind() {
            return Kind.VIEW;
        }
    }
}
