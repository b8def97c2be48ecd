package dev.universerelay.universe;

/**
 * Told what interest management showed and hid (docs/protocol.md section 13), for metrics.
 * Called with the universe's lock held: implementations must be cheap and must not block.
 */
@FunctionalInterface
public interface InterestObserver {

    /** Observes nothing. */
    InterestObserver NONE = (trigger, appeared, hidden) -> { };

    /** What made entities enter or leave players' views. */
    enum Trigger {
        /** the periodic sweep: entities (or the viewers' own ships) moved */
        TICK,
        /** a player sent a new {@code view} */
        VIEW
    }

    /**
     * {@code appeared} entities were newly shown and {@code hidden} ones hidden, each counted once
     * per player that got the event.
     */
    void changed(Trigger trigger, int appeared, int hidden);
}
