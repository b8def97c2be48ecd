package dev.universerelay.api;

import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.http.HttpResponse;
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

    @Get("/{name}")
    HttpResponse<?> show(String name) {
        return registry.find(name)
                .filter(u -> !u.isClosed())
                .<HttpResponse<?>>map(u -> HttpResponse.ok(UniverseDetail.of(u)))
                .orElseGet(() -> HttpResponse.notFound(new ApiError("no universe " + name)));
    }

    /** One universe with its members, for operators; {@code created} is epoch milliseconds. */
    @Serdeable
    public record UniverseDetail(String name, int players, int entities, long created, List<Member> members) {
        static UniverseDetail of(Universe u) {
            Universe.Summary s = u.summary();
            List<Member> members = u.members().stream()
                    .map(m -> new Member(m.player(), m.name(), m.spectator(), m.connected(), m.entities())).toList();
            return new UniverseDetail(s.name(), s.players(), s.entities(), s.createdAt(), members);
        }
    }

    /** A member; {@code connected} is false while it is in its resume grace period. */
    @Serdeable
    public record Member(long p, String name, boolean spectator, boolean connected, int entities) {
    }

    /** One universe as the lobby sees it; spectators are not players. */
    @Serdeable
    public record UniverseView(String name, int players, int entities) {
        static UniverseView of(Universe.Summary s) {
            return new UniverseView(s.name(), s.players(), s.entities());
        }
    }
}
