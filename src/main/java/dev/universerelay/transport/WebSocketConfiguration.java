package dev.universerelay.transport;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * {@code relay.websocket.*}: the frame-level limits of a relay socket (docs/operations.md, "WebSocket
 * frames"). {@code permessage-deflate} and {@code flush-interval} are read where they apply
 * ({@link CompressionSwitch}, {@link LoopFlushers}).
 *
 * @param closeTimeout       after the server's Close frame, how long it keeps reading (and discarding)
 *                           until the client's Close before it closes TCP anyway, default 2s
 * @param fragmentTimeout    how long a fragmented message may take from its first fragment to its
 *                           last; beyond it 1008, default 5s
 * @param maxFragments       frames one message may be split into (empty continuations count);
 *                           beyond it 1008, default 32
 * @param welcomeBudgetBytes {@code welcome} bytes the whole node holds at once (queued or in Netty's
 *                           buffer, not yet taken by the socket); a welcome past it closes with 1013,
 *                           default 67108864 (64 MiB)
 * @param welcomeTimeout     how long a welcome may wait in Netty's buffer for a client that does not
 *                           read before that client is closed with 1013, default 10s
 */
@ConfigurationProperties("relay.websocket")
public record WebSocketConfiguration(
        @Bindable(defaultValue = "2s") Duration closeTimeout,
        @Bindable(defaultValue = "5s") Duration fragmentTimeout,
        @Bindable(defaultValue = "32") @Min(1) int maxFragments,
        @Bindable(defaultValue = "67108864") @Min(65536) long welcomeBudgetBytes,
        @Bindable(defaultValue = "10s") Duration welcomeTimeout) {
}
