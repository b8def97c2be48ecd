package dev.universerelay.recording;

import dev.universerelay.protocol.ServerMessage;
import java.util.List;

/**
 * One record of a recording file (docs/recordings.md): what the universe's stream held at one
 * server time. A file is a {@link Header}, a {@link Keyframe} (the state when recording began),
 * then {@link Event}s with a {@link Keyframe} every few seconds so that a seek starts from the
 * nearest one instead of the beginning, and an {@link End} when the recording was stopped cleanly
 * (a file without one was cut short, by a crash for example).
 */
public sealed interface Recorded {

    /** Server time in epoch milliseconds. */
    long time();

    /** The first record: which universe, when, and on which node. */
    record Header(int version, String universe, long time, String node) implements Recorded {
    }

    /** The whole state at {@code time}: who is there and every entity's last state. */
    record Keyframe(long time, List<ServerMessage.PlayerInfo> players, List<ServerMessage.Appeared> entities)
            implements Recorded {
    }

    /** One change: {@code Appeared}, {@code Velocity}, {@code Destroyed}, {@code Joined} or {@code Left}. */
    record Event(long time, ServerMessage message) implements Recorded {
    }

    /** The recording was stopped on purpose ({@code reason}: universe closed, stopped by an operator, node shutdown). */
    record End(long time, String reason) implements Recorded {
    }
}
