package dev.universerelay.limits;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

/**
 * {@code relay.limits.*}: what one connection and one universe may do. The first five are
 * announced to clients in {@code welcome}, so that well-behaved clients never hit them.
 *
 * @param rate                messages per second per connection (token bucket refill), default 30
 * @param burst               token bucket size, default 60
 * @param maxEntities         entities one player may own, default 64
 * @param maxSpeed            largest allowed {@code hypot(vx, vy)}, default 2000
 * @param bounds              largest allowed {@code abs(x)} and {@code abs(y)}, default 100000
 * @param maxFrameBytes       largest client frame; larger ones close with 1009, default 1024 (at most 65536)
 * @param abuseRejections     rejected messages within {@code abuseWindowMillis} that close with 1008, default 100
 * @param abuseWindowMillis   the abuse window, default 10000
 * @param maxPlayersPerUniverse players (not spectators) per universe, 0 for no limit; beyond it 4004, default 100
 * @param maxPendingBytes     bytes queued for one slow reader before it is closed with 1013, default 262144
 */
@ConfigurationProperties("relay.limits")
public record LimitsConfiguration(
        @Bindable(defaultValue = "30") @Positive double rate,
        @Bindable(defaultValue = "60") @Min(1) int burst,
        @Bindable(defaultValue = "64") @Min(0) int maxEntities,
        @Bindable(defaultValue = "2000") @Positive double maxSpeed,
        @Bindable(defaultValue = "100000") @Positive double bounds,
        @Bindable(defaultValue = "1024") @Min(16) @Max(65536) int maxFrameBytes,
        @Bindable(defaultValue = "100") @Min(1) int abuseRejections,
        @Bindable(defaultValue = "10000") @Min(1) long abuseWindowMillis,
        @Bindable(defaultValue = "100") @Min(0) int maxPlayersPerUniverse,
        @Bindable(defaultValue = "262144") @Min(1024) int maxPendingBytes) {
}
