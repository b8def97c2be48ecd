package dev.universerelay.protocol;

/**
 * One message-sized item of a decoded frame: either a well-formed client message or one whose
 * field types or ranges are wrong. Kept apart so that each item still costs a rate-limit token
 * before it is rejected, as the contract's order of checks requires.
 */
public sealed interface InboundItem permits ClientMessage, InboundItem.Malformed {

    /** A message that was recognised as one but whose fields break the contract. */
    record Malformed(String reason) implements InboundItem {
    }
}
