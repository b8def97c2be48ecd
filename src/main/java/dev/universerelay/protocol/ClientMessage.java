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

    record Move(long id, float x, float y, float vx, float vy) implements ClientMessage {
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
