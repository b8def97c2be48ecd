package dev.universerelay.universe;

/** The replication of a universe that lives on one node only: ids from a counter, nothing to share. */
public final class SingleNode implements Replication {
    private long nextEntityId = 1;

    @Override
    public void load() {
    }

    @Override
    public long nextEntityId() {
        return nextEntityId++; // called under the universe's lock
    }

    @Override
    public void reserveEntityIds() {
    }

    @Override
    public void publish(ReplicatedChange change) {
    }

    @Override
    public void close() {
    }
}
