package dev.universerelay.api;

import dev.universerelay.security.TokenClaims;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseRegistry;
import dev.universerelay.universe.UniverseSummary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Lists this node's universes, for lobbies and operators. Anyone sees what the protocol shows a
 * player: the players (those in their resume grace included, as in {@code joined}/{@code left})
 * and entity counts. Spectators, and whether a player is connected or in its resume grace, are
 * shown only to a caller with the {@code admin} role, since players are never told either.
 */
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
    HttpResponse<?> show(String name, @Nullable Authentication caller) {
        boolean admin = caller != null && caller.getRoles().contains(TokenClaims.ADMIN_ROLE);
        return registry.find(name)
                .filter(u -> !u.isClosed())
                .<HttpResponse<?>>map(u -> HttpResponse.ok(admin ? AdminUniverseDetail.of(u) : UniverseDetail.of(u)))
                .orElseGet(() -> HttpResponse.notFound(new ApiError("no universe " + name)));
    }

    /** One universe with its players, as anyone may see it; {@code created} is epoch milliseconds. */
    @Serdeable
    public record UniverseDetail(String name, int players, int entities, long created, List<PlayerView> members) {
        static UniverseDetail of(Universe u) {
            UniverseSummary s = u.summary();
            List<PlayerView> members = u.members().stream().filter(m -> !m.spectator())
                    .map(m -> new PlayerView(m.player(), m.name(), m.entities())).toList();
            return new UniverseDetail(s.name(), s.players(), s.entities(), s.createdAt(), members);
        }
    }

    /** A player as anyone may see it. */
    @Serdeable
    public record PlayerView(long p, String name, int entities) {
    }

    /** One universe with every member, spectators included, for operators (role {@code admin}). */
    @Serdeable
    public record AdminUniverseDetail(String name, int players, int spectators, int entities, long created,
                                      List<Member> members) {
        static AdminUniverseDetail of(Universe u) {
            UniverseSummary s = u.summary();
            List<Member> members = u.members().stream()
                    .map(m -> new Member(m.player(), m.name(), m.spectator(), m.connected(), m.entities())).toList();
            return new AdminUniverseDetail(s.name(), s.players(), s.spectators(), s.entities(), s.createdAt(), members);
        }
    }

    /** A member; {@code connected} is false while it is in its resume grace period. */
    @Serdeable
    public record Member(long p, String name, boolean spectator, boolean connected, int entities) {
    }

    /** One universe as the lobby sees it; spectators are not players, and a universe of spectators alone is not listed. */
    @Serdeable
    public record UniverseView(String name, int players, int entities) {
        static UniverseView of(UniverseSummary s) {
            return new UniverseView(s.name(), s.players(), s.entities());
        }
    }
}
