package dev.universerelay.transport;

import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.JsonCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.universe.Fanout;
import dev.universerelay.universe.PlayerLink;
import java.util.List;

/**
 * Encodes each message at most once per wire format and hands the same bytes to every
 * recipient's outbox; per-recipient work is one queue insert.
 */
final class WireFanout implements Fanout {
    private final RelayMetrics metrics;

    WireFanout(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void send(ServerMessage message, List<PlayerLink> recipients) {
        if (message instanceof ServerMessage.DeltaEvent event) {
            byte[] binary = null;
            byte[] json = null;
            for (PlayerLink link : recipients) {
                Connection c = (Connection) link;
                if (c.wire == WireFormat.BINARY) {
                    if (binary == null) {
                        binary = BinaryCodec.encode(event);
                    }
                } else if (json == null) {
                    json = JsonCodec.encode(event);
                }
                c.deliver(event, binary, json);
            }
        } else {
            byte[] json = JsonCodec.encodeControl(message);
            for (PlayerLink link : recipients) {
                ((Connection) link).outbox.control(json);
            }
        }
        metrics.sent(message, recipients.size());
    }
}
