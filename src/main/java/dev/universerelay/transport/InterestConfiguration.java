package dev.universerelay.transport;

import dev.universerelay.protocol.UniverseNamePatterns;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;

/**
 * {@code relay.interest.*}: which universes send each player only what its {@code view} contains
 * (docs/protocol.md section 13). Chosen by universe name so that one node can host open worlds
 * next to small arenas, where everybody seeing everything is cheaper and simpler.
 *
 * @param universes names, {@code prefix*} patterns or {@code *}; none by default
 * @param cellSize  side of a spatial grid cell in world units, default 1000
 * @param tick      how often positions are extrapolated and views compared, default 100ms
 * @param maxRadius largest radius of a {@code view}, default 10000
 */
@ConfigurationProperties("relay.interest")
public record InterestConfiguration(
        @Nullable List<String> universes,
        @Bindable(defaultValue = "1000") @Positive double cellSize,
        @Bindable(defaultValue = "100ms") Duration tick,
        @Bindable(defaultValue = "10000") @Positive double maxRadius) {

    /** Whether interest management is on anywhere on this node. */
    boolean isUsed() {
        return universes != null && !universes.isEmpty();
    }

    /** Whether a universe of this name has interest management. */
    boolean appliesTo(String universe) {
        return universes != null && UniverseNamePatterns.anyMatches(universes, universe);
    }
}
