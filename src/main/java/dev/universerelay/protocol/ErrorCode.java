package dev.universerelay.protocol;

/** Why a client message was rejected; the wire name goes into the {@code error} message. */
public enum ErrorCode {
    BAD_MESSAGE("bad_message"),
    OUT_OF_BOUNDS("out_of_bounds"),
    TOO_FAST("too_fast"),
    NOT_OWNER("not_owner"),
    UNKNOWN_ENTITY("unknown_entity"),
    TOO_MANY_ENTITIES("too_many_entities"),
    RATE_LIMITED("rate_limited"),
    READ_ONLY("read_only");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
