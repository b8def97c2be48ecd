package dev.universerelay.transport;

import dev.universerelay.limits.Quotas;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.security.ProxyTrust;
import dev.universerelay.security.TokenClaims;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import java.util.Optional;

/**
 * The handshake checks that need the token's identity, after the security filter has verified it
 * and still before the upgrade (429, with the reason in the JSON body): handshakes per identity,
 * takeovers per identity (a handshake that would replace an open connection of the same
 * {@code sub}, which gets 4009; past the limit the new one is refused and the open one kept), and
 * universes created per address and identity (a handshake to a universe this node does not hold).
 * Each costs the node a welcome snapshot or a universe, which is why they are budgeted.
 */
@ServerFilter("/ws/**")
final class IdentityHandshakeFilter implements Ordered {
    private static final String PREFIX = RelayWebSocket.PATH_PREFIX;

    private final Quotas quotas;
    private final Refusals refusals;
    private final ProxyTrust proxies;
    private final UniverseRegistry registry;

    IdentityHandshakeFilter(Quotas quotas, Refusals refusals, ProxyTrust proxies, UniverseRegistry registry) {
        this.quotas = quotas;
        this.refusals = refusals;
        this.proxies = proxies;
        this.registry = registry;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        Authentication authentication = request.getUserPrincipal(Authentication.class).orElse(null);
        String path = request.getPath();
        if (authentication == null || !path.startsWith(PREFIX)) {
            return null; // the security filter has answered 401 already
        }
        String universe = path.substring(PREFIX.length());
        TokenClaims claims = TokenClaims.of(authentication);
        String address = proxies.clientAddress(request);
        if (quotas.handshakeOfIdentity(claims.subject()) > 0) {
            refusals.refuse(RefusalReason.HANDSHAKE_RATE, address, "universe=" + universe + " per identity");
            return HandshakeFilter.refuse(HttpStatus.TOO_MANY_REQUESTS, "too many handshakes with your identity; slow down");
        }
        if (!claims.allows(universe)) {
            return null; // 4003 after the upgrade, so that browsers can show why; it creates nothing
        }
        Optional<Universe> existing = registry.find(universe);
        if (existing.isPresent()) {
            if (existing.get().hasConnectedMember(claims.subject(), claims.spectator())
                    && quotas.takeover(claims.subject()) > 0) {
                refusals.refuse(RefusalReason.TAKEOVER_RATE, address, "universe=" + universe);
                return HandshakeFilter.refuse(HttpStatus.TOO_MANY_REQUESTS,
                        "too many reconnections replacing your open connection; it stays open");
            }
            return null;
        }
        String refused = quotas.creations().tryCreate(universe, address, claims.subject(),
                name -> registry.find(name).isPresent());
        if (refused != null) {
            refusals.refuse(RefusalReason.UNIVERSE_CREATION, address, "universe=" + universe);
            return HandshakeFilter.refuse(HttpStatus.TOO_MANY_REQUESTS, refused);
        }
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
