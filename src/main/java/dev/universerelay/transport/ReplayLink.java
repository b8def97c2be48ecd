package dev.universerelay.transport;

import dev.universerelay.protocol.ReplayCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.recording.ReplayViewer;

/** A replay's way to its viewer's connection: events in the viewer's wire format, the status as a JSON control message. */
final class ReplayLink implements ReplayViewer {
    private final Connection connection;

    ReplayLink(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void send(ServerMessage message) {
        connection.send(message);
    }

    @Override
    public void status(ReplayCodec.Status status) {
        connection.outbox.control(ReplayCodec.encode(status));
    }
}
