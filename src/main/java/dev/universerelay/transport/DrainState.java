package dev.universerelay.transport;

import jakarta.inject.Singleton;

/** Whether this node has stopped accepting connections because it is shutting down. */
@Singleton
public final class DrainState {
    private volatile boolean draining;

    public boolean isDraining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
