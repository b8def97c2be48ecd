package dev.universerelay.protocol;

/** WebSocket close codes of protocol v1, section 8. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int TOKEN_EXPIRED = 4001;
    public static final int NOT_ALLOWED = 4003;
    public static final int UNIVERSE_FULL = 4004;
    public static final int REPLACED = 4009;
    /** No such recording (replays, docs/protocol.md section 15): it was deleted, or never existed. */
    public static final int NOT_FOUND = 4404;

    private CloseCodes() {
    }
}
