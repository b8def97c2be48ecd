package dev.universerelay.universe;

import dev.universerelay.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;

/** A {@link PlayerLink} that keeps what it was given, for tests. Writers lock the link; so must concurrent readers. */
final class RecordingLink implements PlayerLink {
    final String label;
    final List<ServerMessage> messages = new ArrayList<>();
    final List<Integer> closeCodes = new ArrayList<>();

    RecordingLink(String label) {
        this.label = label;
    }

    @Override
    public synchronized void send(ServerMessage message) {
        messages.add(message);
    }

    @Override
    public synchronized void close(int closeCode, String reason) {
        closeCodes.add(closeCode);
    }

    /** Messages of one type, in order. */
    <T extends ServerMessage> List<T> of(Class<T> type) {
        List<T> result = new ArrayList<>();
        for (ServerMessage m : messages) {
            if (type.isInstance(m)) {
                result.add(type.cast(m));
            }
        }
        return result;
    }

    ServerMessage.Welcome welcome() {
        List<ServerMessage.Welcome> welcomes = of(ServerMessage.Welcome.class);
        if (welcomes.isEmpty()) {
            throw new AssertionError(label + " got no welcome: " + messages);
        }
        return welcomes.get(welcomes.size() - 1);
    }

    /** Forgets everything received so far. */
    List<ServerMessage> drain() {
        List<ServerMessage> copy = List.copyOf(messages);
        messages.clear();
        return copy;
    }

    @Override
    public String toString() {
        return label;
    }
}
