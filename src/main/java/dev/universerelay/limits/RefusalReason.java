package dev.universerelay.limits;

/**
 * Every reason the relay refuses a client or closes it for abuse, in one place, so that the
 * {@code relay_refusals_total{reason}} metric has a fixed, documented set of label values
 * (docs/operations.md, "Limits") and a new limit cannot be added without naming its reason.
 */
public enum RefusalReason {
    /** A handshake's Origin is not allowed (403). */
    ORIGIN("origin"),
    /** A handshake's universe name or subprotocol is invalid (400). */
    BAD_HANDSHAKE("bad-handshake"),
    /** A missing, invalid or expired token (401). */
    BAD_TOKEN("bad-token"),
    /** The node is draining (503). */
    DRAINING("draining"),
    /** The node cannot reach the other nodes (503 before the upgrade, 1013 after). */
    CLUSTER_UNREACHABLE("cluster-unreachable"),
    /** The node holds its maximum number of connections (503). */
    NODE_CONNECTIONS("node-connections"),
    /** The node holds its maximum number of universes (503). */
    NODE_UNIVERSES("node-universes"),
    /** Too many connections (open or not yet upgraded) from one address (429). */
    ADDRESS_CONNECTIONS("address-connections"),
    /** The token does not allow the universe (4003). */
    NOT_ALLOWED("not-allowed"),
    /** The universe holds its maximum number of players (4004). */
    UNIVERSE_FULL("universe-full"),
    /** Too many rejected messages in the abuse window (1008). */
    ABUSE_REJECTIONS("abuse-rejections"),
    /** A reader too slow for what it is sent (1013). */
    SLOW_READER("slow-reader"),
    /** A frame larger than the frame limit (1009). */
    FRAME_TOO_BIG("frame-too-big"),
    /** A frame that breaks RFC 6455 or the relay's framing rules (1002, 1003, 1007, 1008). */
    BAD_FRAME("bad-frame"),
    /** A connection that did not complete its WebSocket upgrade, or its first HTTP request, within the handshake deadline (closed without an answer). */
    HANDSHAKE_TIMEOUT("handshake-timeout"),
    /** A connection beyond the cap on not yet upgraded connections from one address (closed at accept). */
    PENDING_CONNECTIONS("pending-connections"),
    /** A plain HTTP keep-alive connection that sent no complete request within the HTTP idle timeout (closed). */
    HTTP_IDLE("http-idle"),
    /** Too many handshakes from one address, or with one identity (429). */
    HANDSHAKE_RATE("handshake-rate"),
    /** Too many universes created by one address or identity, per minute or still existing (429). */
    UNIVERSE_CREATION("universe-creation"),
    /** One address holds its share of a universe's player slots (4004). */
    ADDRESS_PLAYER_SHARE("address-player-share"),
    /** Too many takeovers (4009 for the replaced connection) by one identity (429). */
    TAKEOVER_RATE("takeover-rate"),
    /** Too many guest logins from one address (429 on {@code POST /api/login}). */
    LOGIN_RATE("login-rate"),
    /** Pings (or pongs) beyond the message rate, until the abuse window closes the connection (1008). */
    PING_FLOOD("ping-flood"),
    /** A fragmented message not finished within {@code relay.websocket.fragment-timeout} (1008). */
    FRAGMENT_TIMEOUT("fragment-timeout"),
    /** A message in more fragments than {@code relay.websocket.max-fragments} (1008). */
    TOO_MANY_FRAGMENTS("too-many-fragments"),
    /** A {@code welcome} that would take the node past {@code relay.websocket.welcome-budget-bytes} (1013). */
    WELCOME_BUDGET("welcome-budget"),
    /** A replay beyond {@code relay.recordings.max-replays} (503 before the upgrade, 1013 after). */
    REPLAYS("replays");

    private final String label;

    RefusalReason(String label) {
        this.label = label;
    }

    /** The value of the metric's {@code reason} label and of {@code reason=} in log lines. */
    public String label() {
        return label;
    }
}
