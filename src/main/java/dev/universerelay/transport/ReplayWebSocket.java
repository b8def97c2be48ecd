package dev.universerelay.transport;

import dev.universerelay.protocol.ProtocolConstants;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;

/**
 * Where recordings are watched ({@code /ws/replays/{id}}, docs/protocol.md section 15): the same
 * subprotocols and messages as a spectator of a live universe, plus the replay controls. Frames
 * are read by {@link WebSocketFrameReader}, as on {@link RelayWebSocket}, for the same reasons.
 */
@Secured(SecurityRule.IS_AUTHENTICATED)
@ServerWebSocket(value = "/ws/replays/{id}",
        subprotocols = ProtocolConstants.SUBPROTOCOL_BINARY + "," + ProtocolConstants.SUBPROTOCOL_JSON)
public class ReplayWebSocket {
    private final ReplayOpener opener;

    ReplayWebSocket(ReplayOpener opener) {
        this.opener = opener;
    }

    @OnOpen
    public void onOpen(String id, WebSocketSession session, HttpRequest<?> request) {
        opener.open(id, session, request);
    }

    @OnMessage(maxPayloadLength = RelayWebSocket.MAX_PAYLOAD)
    public void onMessage(@Body byte[] unexpected, WebSocketSession session) {
        session.close(CloseReason.INTERNAL_ERROR);
    }
}
