package dev.universerelay.transport;

import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.JsonCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.WireFormat;

/**
 * One server message on its way to its recipients, encoded at most once per wire format however many
 * they are: every recipient's outbox gets the same bytes. It is encoded by the thread that fans it out,
 * before any other thread sees it ({@link WireFanout} hands it to other event loops only after the
 * encodings it needs exist), so it needs no synchronisation.
 */
final class Outgoing {
    /** How an outbox takes a message. */
    enum Delivery {
        /** A delta event: the connection's wire format, batched, coalesced while congested if a velocity. */
        EVENT,
        /** The {@code welcome}: JSON, counted in the node's welcome budget. */
        WELCOME,
        /** Any other control message: JSON text frame of its own. */
        CONTROL
    }

    final ServerMessage message;
    final Delivery delivery;
    /** The entity a delta event is about (0 for the others). */
    final long entityId;
    /** Whether a newer state of the entity may replace it in a congested queue. */
    final boolean velocity;
    private byte[] binary;
    private byte[] json;

    Outgoing(ServerMessage message) {
        this.message = message;
        // No default: a new message type is a compile error here until its delivery is decided.
        this.delivery = switch (message.messageKind()) {
            case APPEARED, VELOCITY, DESTROYED, HIDDEN, ACK -> Delivery.EVENT;
            case WELCOME -> Delivery.WELCOME;
            case JOINED, LEFT, PONG, ERROR -> Delivery.CONTROL;
        };
        this.entityId = message instanceof ServerMessage.DeltaEvent event ? event.id() : 0;
        this.velocity = message.messageKind() == ServerMessage.Kind.VELOCITY;
    }

    /** The bytes for a connection of the given wire format, encoded on first use. */
    byte[] bytes(WireFormat wire) {
        if (delivery != Delivery.EVENT) {
            if (json == null) {
                json = JsonCodec.encodeControl(message);
            }
            return json;
        }
        ServerMessage.DeltaEvent event = (ServerMessage.DeltaEvent) message;
        return switch (wire) {
            case BINARY -> binary != null ? binary : (binary = BinaryCodec.encode(event));
            case JSON -> json != null ? json : (json = JsonCodec.encode(event));
        };
    }

    /** Queues this message in the outbox; on the outbox's event loop. */
    void into(Outbox outbox, WireFormat wire) {
        byte[] bytes = bytes(wire);
        switch (delivery) {
            case EVENT -> outbox.event(bytes, wire == WireFormat.BINARY, entityId, velocity);
            case WELCOME -> outbox.snapshot(bytes);
            case CONTROL -> outbox.control(bytes);
        }
    }
}
