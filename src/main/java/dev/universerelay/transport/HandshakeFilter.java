package dev.universerelay.transport;

import dev.universerelay.limits.Quotas;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.protocol.ProtocolConstants;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.recording.RecordingStore;
import dev.universerelay.security.OriginPolicy;
import dev.universerelay.security.ProxyTrust;
import dev.universerelay.security.RawQuery;
import dev.universerelay.universe.Cluster;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Refuses a WebSocket handshake before the upgrade, with a status a browser's network panel
 * shows, in the contract's order: 403 origin, 400 universe name or subprotocol, 503 node full
 * (draining, cut off from the other nodes, connection cap, or a new universe beyond the universe cap),
 * 429 too many connections from one address. It runs before the security filter, which answers
 * 401 for a missing or bad token, so an unauthenticated client learns nothing else first.
 * Connections not upgraded yet from the same address ({@link PendingConnections}) count against
 * the per-address cap. Every refusal, the security filter's 401 included, is reported to
 * {@link Refusals}; the edge guard answers each with {@code Connection: close} and closes the
 * connection after it ({@link EdgeGuard}). A flood of handshakes from one address is refused here,
 * before any token is verified; what needs the token's identity is checked after the security
 * filter, in {@link IdentityHandshakeFilter}.
 */
@ServerFilter("/ws/**")
final class HandshakeFilter implements Ordered {
    private static final String PREFIX = RelayWebSocket.PATH_PREFIX;

    private final OriginPolicy origins;
    private final ConnectionIndex connections;
    private final SessionConfiguration session;
    private final ProxyTrust proxies;
    private final DrainState drain;
    private final UniverseRegistry registry;
    private final Cluster cluster;
    private final PendingConnections pending;
    private final Quotas quotas;
    private final Refusals refusals;
    private final RecordingConfiguration recordings;

    HandshakeFilter(OriginPolicy origins, ConnectionIndex connections, SessionConfiguration session,
                    ProxyTrust proxies, DrainState drain, UniverseRegistry registry, Cluster cluster,
                    PendingConnections pending, Quotas quotas, Refusals refusals, RecordingConfiguration recordings) {
        this.recordings = recordings;
        this.pending = pending;
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
        String client = proxies.clientAddress(request);
        if (!origins.allows(headers.get(HttpHeaders.ORIGIN), proxies.host(request), proxies.secure(request))) {
            return refuse(RefusalReason.ORIGIN, client, HttpStatus.FORBIDDEN, "origin not allowed");
        }
        String path = request.getPath();
        boolean replay = path.startsWith(ReplayHandshakeFilter.PREFIX);
        String universe = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (replay && !RecordingStore.ID.matcher(path.substring(ReplayHandshakeFilter.PREFIX.length())).matches()) {
            return refuse(RefusalReason.BAD_HANDSHAKE, client, HttpStatus.BAD_REQUEST,
                    "recording ids are 1 to 128 of A-Z a-z 0-9 _ -");
        }
        if (!replay && !ProtocolConstants.UNIVERSE_NAME.matcher(universe).matches()) {
            return refuse(RefusalReason.BAD_HANDSHAKE, client, HttpStatus.BAD_REQUEST,
                    "universe names are 1 to 64 of A-Z a-z 0-9 _ -");
        }
        String rawQuery = replay ? null : RawQuery.of(request); // not getUri(): see RawQuery
        if (rawQuery != null && rawQuery.contains(SpectatorDelay.PARAMETER + "=")) {
            String refused = delayRefusal(rawQuery);
            if (refused != null) {
                return refuse(RefusalReason.BAD_HANDSHAKE, client, HttpStatus.BAD_REQUEST, refused);
            }
        }
        if (WireFormat.negotiate(headers.get(HttpHeaders.SEC_WEBSOCKET_PROTOCOL)).isEmpty()) {
            return refuse(RefusalReason.BAD_HANDSHAKE, client, HttpStatus.BAD_REQUEST, "supported subprotocols: "
                    + ProtocolConstants.SUBPROTOCOL_BINARY + ", " + ProtocolConstants.SUBPROTOCOL_JSON);
        }
        if (drain.isDraining()) {
            return refuse(RefusalReason.DRAINING, client, HttpStatus.SERVICE_UNAVAILABLE, "server is shutting down");
        }
        if (!cluster.isReady()) {
            return refuse(RefusalReason.CLUSTER_UNREACHABLE, client, HttpStatus.SERVICE_UNAVAILABLE,
                    "this node cannot reach the other nodes right now");
        }
        if (connections.size() >= session.maxConnections()) {
            return refuse(RefusalReason.NODE_CONNECTIONS, client, HttpStatus.SERVICE_UNAVAILABLE,
                    "server is at its connection limit");
        }
        if (!replay && registry.size() >= session.maxUniverses() && registry.find(universe).isEmpty()) {
            return refuse(RefusalReason.NODE_UNIVERSES, client, HttpStatus.SERVICE_UNAVAILABLE,
                    "this node holds its maximum number of universes");
        }
        if (connections.fromAddress(client) + otherHandshakes(client, request) >= session.maxConnectionsPerAddress()) {
            return refuse(RefusalReason.ADDRESS_CONNECTIONS, client, HttpStatus.TOO_MANY_REQUESTS,
                    "too many connections from your address");
        }
        if (quotas.handshakeFromAddress(client) > 0) {
            return refuse(RefusalReason.HANDSHAKE_RATE, client, HttpStatus.TOO_MANY_REQUESTS,
                    "too many handshakes from your address; slow down");
        }
        return null;
    }

    /** Why a {@code delay} parameter is refused, or null when it is fine (docs/recordings.md). */
    private String delayRefusal(String rawQuery) {
        if (!recordings.enabled()) {
            return "delayed spectators need relay.recordings.enabled on this node";
        }
        try {
            SpectatorDelay.parse(rawQuery, recordings.maxSpectatorDelay().toMillis());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Reports the security filter's 401 (missing, invalid or expired token), which it answers without us. */
    @ResponseFilter
    void reportUnauthorized(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.code() == HttpStatus.UNAUTHORIZED.getCode()) {
            refusals.refuse(RefusalReason.BAD_TOKEN, proxies.clientAddress(request), "path=" + request.getPath());
        }
    }

    /**
     * Connections from this address still in their handshake, this request's own left out (it is
     * counted under its TCP peer address, which is the client's unless a trusted proxy forwarded it).
     */
    private int otherHandshakes(String client, HttpRequest<?> request) {
        var remote = request.getRemoteAddress();
        String peer = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return Math.max(0, pending.handshaking(client) - (client.equals(peer) ? 1 : 0));
    }

    private HttpResponse<?> refuse(RefusalReason reason, String client, HttpStatus status, String message) {
        refusals.refuse(reason, client, "status=" + status.getCode());
        return refuse(status, message);
    }

    /** The refusal answer before the upgrade; the caller has reported it to {@link Refusals}. */
    static HttpResponse<?> refuse(HttpStatus status, String message) {
        return HttpResponse.status(status).body(new HandshakeRefusal(status.getCode(), message));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }
}
