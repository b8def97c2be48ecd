package dev.universerelay.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code relay.security.*}.
 *
 * @param jwtSecret HS256 secret (UTF-8, 32 bytes or more), from {@code RELAY_JWT_SECRET}; when
 *                  absent a random one is made at start-up (tokens then die with the process)
 * @param expLeeway tolerance for {@code exp} and {@code nbf}, default 0s
 */
@ConfigurationProperties("relay.security")
public record SecurityConfiguration(
        @Nullable String jwtSecret,
        @Bindable(defaultValue = "0s") Duration expLeeway) {
}
