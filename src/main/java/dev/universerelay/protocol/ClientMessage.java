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

    /** The message's {@code t} on the JSON wire. */
    String type();

    record Spawn(long ref, int kind, float x, float y, float vx, float vy) implements ClientMessage {
        @Override
        public String type() {
            return "spawn";
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
        public String type() {
            return "move";
        }
    }

    record Destroy(long id) implements ClientMessage {
        @Override
        public String type() {
            return "destroy";
        }
    }

    record Ping(double clientTime) implements ClientMessage {
        @Override
        public String type() {
            return "ping";
        }
    }

    /**
     * The area a player wants to see (interest management, docs/protocol.md section 13): a circle
     * of radius {@code r} around {@code (x, y)}. Its ranges are the universe's rules.
     */
    record View(float x, float y, float r) implements ClientMessage {
        @Override
        public String type() {
            return "view";
        }
    }
}
