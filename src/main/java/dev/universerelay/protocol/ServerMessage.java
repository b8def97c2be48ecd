package dev.universerelay.protocol;

import java.util.List;

/**
 * Everything the server sends. {@link DeltaEvent}s follow the connection's wire format; the
 * others are control messages, always JSON text.
 */
public sealed interface ServerMessage {

    /** The message's {@code t} on the JSON wire. */
    String type();

    /** Events that describe entity state changes; binary on {@code relay.v1.bin}. */
    sealed interface DeltaEvent extends ServerMessage {
        long id();
    }

    record Appeared(long id, long owner, int kind, float x, float y, float vx, float vy, long serverTime, long ref)
            implements DeltaEvent {
        @Override
        public String type() {
            return "appeared";
        }
    }

    record Velocity(long id, float x, float y, float vx, float vy, long serverTime) implements DeltaEvent {
        @Override
        public String type() {
            return "velocity";
        }
    }

    record Destroyed(long id, long serverTime) implements DeltaEvent {
        @Override
        public String type() {
            return "destroyed";
        }
    }

    /**
     * An entity left the recipient's view (interest management, docs/protocol.md section 13): the
     * client forgets it until it appears again. Unlike {@code destroyed}, the entity lives on.
     */
    record Hidden(long id) implements DeltaEvent {
        @Override
        public String type() {
            return "hidden";
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
        public String type() {
            return "ack";
        }
    }

    record Welcome(String universe, long you, String name, long serverTime, String resumeToken,
                   List<PlayerInfo> players, List<Appeared> entities, LimitsInfo limits) implements ServerMessage {
        @Override
        public String type() {
            return "welcome";
        }
    }

    record Joined(long player, String name) implements ServerMessage {
        @Override
        public String type() {
            return "joined";
        }
    }

    record Left(long player) implements ServerMessage {
        @Override
        public String type() {
            return "left";
        }
    }

    record Pong(double clientTime, long serverTime) implements ServerMessage {
        @Override
        public String type() {
            return "pong";
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
        public String type() {
            return "error";
        }
    }

    record PlayerInfo(long player, String name) {
    }

    record LimitsInfo(double rate, int burst, int maxEntities, double maxSpeed, double bounds) {
    }
}
