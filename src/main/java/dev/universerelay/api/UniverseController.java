package dev.universerelay.api;

import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Lists this node's universes, for lobbies and operators. */
@Controller("/api/universes")
@Secured(SecurityRule.IS_ANONYMOUS)
public class UniverseController {
    private final UniverseRegistry registry;

    UniverseController(UniverseRegistry registry) {
        this.registry = registry;
    }

    @Get
    List<UniverseView> list() {
        return registry.summaries().stream().map(UniverseView::of).toList();
    }

    /** One universe as the lobby sees it; spectators are not players. */
    @Serdeable
    public record UniverseView(String name, int players, int entities) {
        static UniverseView of(Universe.Summary s) {
            return new UniverseView(s.name(), s.players(), s.entities());
        }
    }
}
