package dev.universerelay.protocol;

import java.util.Optional;

/** The two ways delta events and client actions travel, chosen once per connection by subprotocol. */
public enum WireFormat {
    BINARY(ProtocolConstants.SUBPROTOCOL_BINARY),
    JSON(ProtocolConstants.SUBPROTOCOL_JSON);

    private final String subprotocol;

    WireFormat(String subprotocol) {
        this.subprotocol = subprotocol;
    }

    public String subprotocol() {
        return subprotocol;
    }

    /** The format for a negotiated subprotocol; none means JSON. */
    public static WireFormat ofSubprotocol(String subprotocol) {
        return BINARY.subprotocol.equals(subprotocol) ? BINARY : JSON;
    }

    /**
     * Picks the format for a {@code Sec-WebSocket-Protocol} offer, in the client's order of
     * preference. An absent offer means JSON; an offer with nothing we speak is empty.
     */
    public static Optional<WireFormat> negotiate(String offerHeader) {
        if (offerHeader == null || offerHeader.isBlank()) {
            return Optional.of(JSON);
        }
        for (String offered : offerHeader.split(",")) {
            String name = offered.trim();
            for (WireFormat format : values()) {
                if (format.subprotocol.equals(name)) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }
}
