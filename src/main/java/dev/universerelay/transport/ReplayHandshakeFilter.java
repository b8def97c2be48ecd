package dev.universerelay.transport;

import dev.universerelay.limits.Quotas;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.security.ProxyTrust;
import dev.universerelay.security.TokenClaims;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * The replay handshake's checks after the token is verified and before the upgrade: handshakes
 * per identity (the same quota as live universes), {@code 404} for a recording that does not exist
 * (or recordings switched off), {@code 503} when the node plays its maximum number of replays.
 * The universe claim is checked after the upgrade (4003), as for live universes.
 */
@ServerFilter("/ws/replays/**")
final class ReplayHandshakeFilter implements Ordered {
    static final String PREFIX = "/ws/replays/";

    private final Quotas quotas;
    private final Refusals refusals;
    private final ProxyTrust proxies;
    private final ReplaySessions replays;

    ReplayHandshakeFilter(Quotas quotas, Refusals refusals, ProxyTrust proxies, ReplaySessions replays) {
        this.quotas = quotas;
        this.refusals = refusals;
        this.proxies = proxies;
        this.replays = replays;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        var authentication = request.getUserPrincipal(io.micronaut.security.authentication.Authentication.class).orElse(null);
        if (authentication == null) {
            return null; // the security filter has answered 401 already
        }
        String id = request.getPath().substring(PREFIX.length());
        String address = proxies.clientAddress(request);
        if (quotas.handshakeOfIdentity(TokenClaims.of(authentication).subject()) > 0) {
            refusals.refuse(RefusalReason.HANDSHAKE_RATE, address, "recording=" + id + " per identity");
            return HandshakeFilter.refuse(HttpStatus.TOO_MANY_REQUESTS, "too many handshakes with your identity; slow down");
        }
        if (replays.find(id).isEmpty()) {
            refusals.refuse(RefusalReason.BAD_HANDSHAKE, address, "recording=" + id + " status=404");
            return HandshakeFilter.refuse(HttpStatus.NOT_FOUND, "no recording " + id);
        }
        if (!replays.hasRoom()) {
            refusals.refuse(RefusalReason.REPLAYS, address, "recording=" + id + " status=503");
            return HandshakeFilter.refuse(HttpStatus.SERVICE_UNAVAILABLE, "this node plays its maximum number of replays");
        }
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
