package dev.universerelay.api;

import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.security.TokenClaims;
import dev.universerelay.transport.ConnectionDrainer;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator may do to a running node: close a universe, kick a member, drain the node before
 * taking it down. Only tokens with the {@code admin} role get in (others 403, none 401).
 */
@Controller("/api")
@Secured(TokenClaims.ADMIN_ROLE)
public class AdminController {
    private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);

    private final UniverseRegistry registry;
    private final ConnectionDrainer drainer;

    AdminController(UniverseRegistry registry, ConnectionDrainer drainer) {
        this.registry = registry;
        this.drainer = drainer;
    }

    /** Closes every connection of a universe (4003: clients do not retry) and forgets it. */
    @Delete("/universes/{name}")
    HttpResponse<?> closeUniverse(String name, Authentication admin) {
        if (!registry.close(name, CloseCodes.NOT_ALLOWED, "universe closed by an operator")) {
            return HttpResponse.notFound(new ApiError("no universe " + name));
        }
        LOG.info("universe={} closed by admin={}", name, admin.getName());
        return HttpResponse.noContent();
    }

    /** Removes a member for good (its entities are destroyed, others see it leave) and closes it with 4003. */
    @Delete("/universes/{name}/players/{player}")
    HttpResponse<?> kick(String name, long player, Authentication admin) {
        if (!registry.kick(name, player, CloseCodes.NOT_ALLOWED, "removed by an operator")) {
            return HttpResponse.notFound(new ApiError("no player " + player + " in universe " + name));
        }
        LOG.info("universe={} player={} kicked by admin={}", name, player, admin.getName());
        return HttpResponse.noContent();
    }

    /** Stops accepting connections (503) and closes the open ones with 1001, so clients move to another node. */
    @Post("/admin/drain")
    HttpResponse<DrainStatus> drain(Authentication admin) {
        LOG.info("drain requested by admin={}", admin.getName());
        drainer.drain();
        return HttpResponse.accepted().body(new DrainStatus(true));
    }

    /** Whether the node is draining. */
    @Serdeable
    public record DrainStatus(boolean draining) {
    }
}
