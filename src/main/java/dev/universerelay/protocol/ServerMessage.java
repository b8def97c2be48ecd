package dev.universerelay.protocol;

import java.util.List;

/**
 * Everything the server sends. {@link DeltaEvent}s follow the connection's wire format; the
 * others are control messages, always JSON text.
 */
public sealed interface ServerMessage {

    /**
     * Which message this is, for the same reason and in the same way as {@link ClientMessage.Kind}:
     * the codecs and the metrics switch over it without a {@code default}, so a new message is a
     * compile error wherever it must be encoded or counted.
     */
    enum Kind {
        APPEARED("appeared", true),
        VELOCITY("velocity", true),
        DESTROYED("destroyed", true),
        /** Interest management extension (docs/protocol.md section 13). */
        HIDDEN("hidden", true),
        /** Input acknowledgement extension (docs/protocol.md section 14). */
        ACK("ack", true),
        WELCOME("welcome", false),
        JOINED("joined", false),
        LEFT("left", false),
        PONG("pong", false),
        ERROR("error", false);

        private final String wireName;
        private final boolean deltaEvent;

        Kind(String wireName, boolean deltaEvent) {
            this.wireName = wireName;
            this.deltaEvent = deltaEvent;
        }

        /** The message's {@code t} on the JSON wire, and its {@code type} tag in the metrics. */
        public String wireName() {
            return wireName;
        }

        /** Whether its records are {@link DeltaEvent}s, which follow the connection's wire format. */
        public boolean isDeltaEvent() {
            return deltaEvent;
        }
    }

    /** This message's kind (see {@link Kind}). */
    Kind messageKind();

    /** The message's {@code t} on the JSON wire. */
    default String type() {
        return messageKind().wireName();
    }

    /** Events that describe entity state changes; binary on {@code relay.v1.bin}. */
    sealed interface DeltaEvent extends ServerMessage {
        long id();
    }

    record Appeared(long id, long owner, int kind, float x, float y, float vx, float vy, long serverTime, long ref)
            implements DeltaEvent {
        @Override
        public Kind messageKind() {
            return Kind.APPEARED;
        }
    }

    record Velocity(long id, float x, float y, float vx, float vy, long serverTime) implements DeltaEvent {
        @Override
        public Kind messageKind() {
            return Kind.VELOCITY;
        }
    }

    record Destroyed(long id, long serverTime) implements DeltaEvent {
        @Override
        public Kind messageKind() {
            return Kind.DESTROYED;
        }
    }

    /**
     * An entity left the recipient's view (interest management, docs/protocol.md section 13): the
     * client forgets it until it appears again. Unlike {@code destroyed}, the entity lives on.
     */
    record Hidden(long id) implements DeltaEvent {
        @Override
        public Kind messageKind() {
            return Kind.HIDDEN;
        }
    }

    /**
     * The sender's {@code move} with this {@code seq} was applied to entity {@code id} at
     * {@code serverTime} (input acknowledgement extension, docs/protocol.md section 14). It goes to
     * the sender only, in its wire format, so that a client predicting its own entities knows
     * which state the server holds.
     */
    record Ack(long id, long seq, long serverTime) implements DeltaEvent {
        @Override
        public Kind messageKind() {
            return Kind.ACK;
        }
    }

    record Welcome(String universe, long you, String name, long serverTime, String resumeToken,
                   List<PlayerInfo> players, List<Appeared> entities, LimitsInfo limits) implements ServerMessage {
        @Override
        public Kind messageKind() {
            return Kind.WELCOME;
        }
    }

    record Joined(long player, String name) implements ServerMessage {
        @Override
        public Kind messageKind() {
            return Kind.JOINED;
        }
    }

    record Left(long player) implements ServerMessage {
        @Override
        public Kind messageKind() {
            return Kind.LEFT;
        }
    }

    record Pong(double clientTime, long serverTime) implements ServerMessage {
        @Override
        public Kind messageKind() {
            return Kind.PONG;
        }
    }

    /**
     * {@code ref} is null when the rejected message had none; {@code seq} is the refused move's
     * (docs/protocol.md section 14), null when it had none.
     */
    record Error(ErrorCode code, String message, Long ref, Long seq) implements ServerMessage {

        public Error(ErrorCode code, String message, Long ref) {
            this(code, message, ref, null);
        }

        @Override
        public Kind messageKind() {
            return Kind.ERROR;
        }
    }

    record PlayerInfo(long player, String name) {
    }

    record LimitsInfo(double rate, int burst, int maxEntities, double maxSpeed, double bounds) {
    }
}
