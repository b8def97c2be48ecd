package dev.universerelay.recording;

import dev.universerelay.protocol.ReplayCodec;
import dev.universerelay.protocol.ServerMessage;

/**
 * The replay's view of the socket that watches it, the counterpart of {@code universe.PlayerLink}:
 * somewhere to put messages, never blocking (a replay thread calls it).
 */
public interface ReplayViewer {

    /** A {@code welcome}, an event or a {@code pong}, in the viewer's wire format. */
    void send(ServerMessage message);

    /** The replay extension's status message. */
    void status(ReplayCodec.Status status);
}
