package dev.universerelay.transport;

import dev.universerelay.protocol.ProtocolConstants;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micronaut.websocket.annotation.ServerWebSocket;

/**
 * The relay's WebSocket entry point. Micronaut does the upgrade and the subprotocol choice; from
 * then on frames are read by {@link WebSocketFrameReader}, which sits in front of Micronaut's
 * handler: {@code @OnMessage} exists only because Micronaut requires one (and its payload limit
 * is the ceiling for {@code relay.limits.max-frame-bytes}); its parameter is {@code @Body} because
 * Micronaut otherwise looks an unannotated one up among the query parameters when it opens the
 * socket, which makes the upgrade request keep a decoded copy of them (the token) for the life of
 * the connection. There is deliberately no {@code @OnClose}, whose presence turns clean closes
 * into 1006 for clients in this version.
 */
@Secured(SecurityRule.IS_AUTHENTICATED)
@ServerWebSocket(value = RelayWebSocket.PATH_PREFIX + "{universe}",
        subprotocols = ProtocolConstants.SUBPROTOCOL_BINARY + "," + ProtocolConstants.SUBPROTOCOL_JSON)
public class RelayWebSocket {
    /** Where a universe's sockets are: {@code /ws/universes/{universe}}. */
    static final String PATH_PREFIX = "/ws/universes/";
    /** Netty's own frame limit, the ceiling for the configurable one. */
    static final int MAX_PAYLOAD = 65536;
    private static final Logger LOG = LoggerFactory.getLogger(RelayWebSocket.class);
    private final ConnectionOpener opener;

    RelayWebSocket(ConnectionOpener opener) {
        this.opener = opener;
    }

    @OnOpen
    public void onOpen(String universe, WebSocketSession session, HttpRequest<?> request) {
        opener.open(universe, session, request);
    }

    @OnMessage(maxPayloadLength = MAX_PAYLOAD)
    public void onMessage(@Body byte[] unexpected, WebSocketSession session) {
        LOG.error("a frame bypassed the relay frame reader; closing {}", session.getId());
        session.close(CloseReason.INTERNAL_ERROR);
    }
}
