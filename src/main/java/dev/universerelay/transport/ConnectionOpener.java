package dev.universerelay.transport;

import dev.universerelay.limits.Quotas;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.limits.Refusals;
import dev.universerelay.metrics.UniverseTrafficTable;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.security.RawQuery;
import dev.universerelay.security.TokenClaims;
import dev.universerelay.universe.JoinResult;
import dev.universerelay.universe.PlayerIdentity;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.websocket.WebSocketSession;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an upgraded socket into a relay connection: reads the token's claims, takes over frame
 * reading from Micronaut, and joins the universe (or refuses with 4003/4004 after the upgrade,
 * so that browsers can show why).
 */
@Singleton
final class ConnectionOpener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionOpener.class);

    private final UpgradedSockets sockets;
    private final UniverseRegistry registry;
    private final Refusals refusals;
    private final Quotas quotas;
    private final UniverseTrafficTable traffic;
    private final DelayedSpectators delayed;

    ConnectionOpener(UpgradedSockets sockets, DelayedSpectators delayed, UniverseRegistry registry, Refusals refusals,
                     Quotas quotas, UniverseTrafficTable traffic) {
        this.sockets = sockets;
        this.delayed = delayed;
        this.registry = registry;
        this.refusals = refusals;
        this.quotas = quotas;
        this.traffic = traffic;
    }

    void open(String universeName, WebSocketSession session, HttpRequest<?> request) {
        UpgradedSockets.Upgraded upgraded = sockets.attach(session, request).orElse(null);
        if (upgraded == null) {
            return;
        }
        Connection connection = upgraded.connection();
        TokenClaims claims = upgraded.claims();
        if (!claims.allows(universeName)) {
            refusals.refuse(RefusalReason.NOT_ALLOWED, connection.address, "universe=" + universeName + " close=4003");
            connection.close(CloseCodes.NOT_ALLOWED, "your token does not allow universe " + universeName);
            return;
        }
        long delay = SpectatorDelay.parse(RawQuery.of(upgraded.request()), Long.MAX_VALUE); // checked before the upgrade
        if (delay > 0) {
            delayed.open(universeName, connection, claims, delay);
            return;
        }
        UniverseRegistry.Entry entry;
        try {
            entry = registry.join(universeName,
                    new PlayerIdentity(claims.subject(), claims.name(), claims.spectator(), connection.address), connection);
        } catch (RuntimeException e) { // the other nodes could not be reached (cluster mode)
            refusals.refuse(RefusalReason.CLUSTER_UNREACHABLE, connection.address,
                    "universe=" + universeName + " close=1013 (" + e.getClass().getSimpleName() + ")");
            connection.close(CloseCodes.TRY_AGAIN_LATER, "this node cannot reach the other nodes; try again shortly");
            return;
        }
        if (entry.result() instanceof JoinResult.Entered entered) {
            connection.universe = entry.universe();
            connection.player = entered.player();
            connection.traffic = traffic.of(universeName);
            quotas.creations().arrived(universeName);
            // DEBUG: a churn of connections must not become a churn of log lines (operations.md, Logs)
            LOG.debug("connected universe={} player={} spectator={} resumed={} wire={} address={}", universeName,
                    entered.player().number(), claims.spectator(), entered.resumed(), connection.wire.subprotocol(), connection.address);
        } else if (entry.result() instanceof JoinResult.OriginShareFull) {
            refusals.refuse(RefusalReason.ADDRESS_PLAYER_SHARE, connection.address, "universe=" + universeName + " close=4004");
            connection.close(CloseCodes.UNIVERSE_FULL, "players from your address hold their share of universe "
                    + universeName + "'s slots");
        } else {
            refusals.refuse(RefusalReason.UNIVERSE_FULL, connection.address, "universe=" + universeName + " close=4004");
            connection.close(CloseCodes.UNIVERSE_FULL, "universe " + universeName + " is full");
        }
    }

}
