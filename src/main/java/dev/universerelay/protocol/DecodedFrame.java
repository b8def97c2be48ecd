package dev.universerelay.protocol;

import java.util.List;

/**
 * The result of decoding one WebSocket frame. A frame that cannot be split into messages at all
 * carries only a {@code failure} and no items: it is answered with a single {@code bad_message}.
 */
public record DecodedFrame(List<InboundItem> items, String failure) {

    public static DecodedFrame of(List<InboundItem> items) {
        return new DecodedFrame(List.copyOf(items), null);
    }

    public static DecodedFrame undecodable(String failure) {
        return new DecodedFrame(List.of(), failure);
    }

    public boolean isUndecodable() {
        return failure != null;
    }
}
