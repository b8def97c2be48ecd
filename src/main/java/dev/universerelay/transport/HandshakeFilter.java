package dev.universerelay.transport;

import dev.universerelay.limits.Quotas;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.protocol.ProtocolConstants;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.security.OriginPolicy;
import dev.universerelay.security.ProxyTrust;
import dev.universerelay.universe.Cluster;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Refuses a WebSocket handshake before the upgrade, with a status a browser's network panel
 * shows, in the contract's order: 403 origin, 400 universe name or subprotocol, 503 node full
 * (draining, cut off from the other nodes, connection cap, or a new universe beyond the universe cap),
 * 429 too many connections or handshakes from one address. It runs before the security filter, which
 * answers 401 for a missing or bad token, so an unauthenticated client learns nothing else first,
 * and so that a flood of handshakes from one address is refused before any token is verified.
 * What needs the token's identity is checked after it, in {@link IdentityHandshakeFilter}.
 */
@ServerFilter("/ws/**")
final class HandshakeFilter implements Ordered {
    private static final String PREFIX = "/ws/universes/";

    private final OriginPolicy origins;
    private final ConnectionIndex connections;
    private final SessionConfiguration session;
    private final ProxyTrust proxies;
    private final DrainState drain;
    private final UniverseRegistry registry;
    private final Cluster cluster;
    private final Quotas quotas;
    private final Refusals refusals;

    HandshakeFilter(OriginPolicy origins, ConnectionIndex connections, SessionConfiguration session,
                    ProxyTrust proxies, DrainState drain, UniverseRegistry registry, Cluster cluster,
                    Quotas quotas, Refusals refusals) {
        this.quotas = quotas;
        this.refusals = refusals;
        this.origins = origins;
        this.connections = connections;
        this.session = session;
        this.proxies = proxies;
        this.drain = drain;
        this.registry = registry;
        this.cluster = cluster;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        HttpHeaders headers = request.getHeaders();
        if (!origins.allows(headers.get(HttpHeaders.ORIGIN), proxies.host(request), proxies.secure(request))) {
            return refuse(HttpStatus.FORBIDDEN, "origin not allowed");
        }
        String path = request.getPath();
        String universe = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (!ProtocolConstants.UNIVERSE_NAME.matcher(universe).matches()) {
            return refuse(HttpStatus.BAD_REQUEST, "universe names are 1 to 64 of A-Z a-z 0-9 _ -");
        }
        if (WireFormat.negotiate(headers.get(HttpHeaders.SEC_WEBSOCKET_PROTOCOL)).isEmpty()) {
            return refuse(HttpStatus.BAD_REQUEST, "supported subprotocols: " + ProtocolConstants.SUBPROTOCOL_BINARY
                    + ", " + ProtocolConstants.SUBPROTOCOL_JSON);
        }
        if (drain.isDraining()) {
            return refuse(HttpStatus.SERVICE_UNAVAILABLE, "server is shutting down");
        }
        if (!cluster.isReady()) {
            return refuse(HttpStatus.SERVICE_UNAVAILABLE, "this node cannot reach the other nodes right now");
        }
        if (connections.size() >= session.maxConnections()) {
            return refuse(HttpStatus.SERVICE_UNAVAILABLE, "server is at its connection limit");
        }
        if (registry.size() >= session.maxUniverses() && registry.find(universe).isEmpty()) {
            return refuse(HttpStatus.SERVICE_UNAVAILABLE, "this node holds its maximum number of universes");
        }
        if (connections.fromAddress(proxies.clientAddress(request)) >= session.maxConnectionsPerAddress()) {
            return refuse(HttpStatus.TOO_MANY_REQUESTS, "too many connections from your address");
        }
        String address = proxies.clientAddress(request);
        if (quotas.handshakeFromAddress(address) > 0) {
            refusals.refuse(RefusalReason.HANDSHAKE_RATE, address, "universe=" + universe + " per address");
            return refuse(HttpStatus.TOO_MANY_REQUESTS, "too many handshakes from your address; slow down");
        }
        return null;
    }

    static HttpResponse<?> refuse(HttpStatus status, String reason) {
        return HttpResponse.status(status).body(new HandshakeRefusal(status.getCode(), reason));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }
}
