package dev.universerelay.limits;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

/**
 * {@code relay.quotas.*}: what one client address and one identity (token {@code sub}) may take of
 * a node, so that one attacker with guest tokens cannot fill the node's universe cap, lock a named
 * universe, or make the node sign tokens and send welcomes without end. The defaults are far above
 * what a real game does from one address; benchmarks and load tests that run every virtual player
 * from one address raise them (docs/operations.md, "Players, universes and logins").
 *
 * @param handshakeRate           WebSocket handshakes per second per address (token bucket refill), default 20
 * @param handshakeBurst          handshakes an address may make at once, default 60
 * @param identityHandshakeRate   handshakes per second per identity, default 5
 * @param identityHandshakeBurst  handshakes an identity may make at once, default 20
 * @param universesPerMinute      universes an address, and an identity, may create per minute, default 20
 * @param universesHeld           universes an address, and an identity, may have created that still exist, default 50
 * @param addressPlayerShare      share of a universe's player slots ({@code relay.limits.max-players-per-universe})
 *                                that players from one address may hold, those in their resume grace included;
 *                                1 for no per-address limit, default 0.25
 * @param minPlayersPerAddress    players one address may always have in a universe, whatever the share, default 4
 * @param takeoverRate            takeovers (a handshake that replaces an open connection of the same identity, 4009)
 *                                per second per identity, default 1
 * @param takeoverBurst           takeovers an identity may make at once, default 5
 * @param loginRate               {@code POST /api/login} per second per address, default 5
 * @param loginBurst              logins an address may make at once, default 20
 * @param trackedKeys             addresses (or identities) each of these limits remembers; past it idle ones are
 *                                forgotten, and if none is idle all are, default 100000
 */
@ConfigurationProperties("relay.quotas")
public record QuotaConfiguration(
        @Bindable(defaultValue = "20") @Positive double handshakeRate,
        @Bindable(defaultValue = "60") @Min(1) int handshakeBurst,
        @Bindable(defaultValue = "5") @Positive double identityHandshakeRate,
        @Bindable(defaultValue = "20") @Min(1) int identityHandshakeBurst,
        @Bindable(defaultValue = "20") @Min(1) int universesPerMinute,
        @Bindable(defaultValue = "50") @Min(1) int universesHeld,
        @Bindable(defaultValue = "0.25") @DecimalMin("0.0") @DecimalMax("1.0") double addressPlayerShare,
        @Bindable(defaultValue = "4") @Min(1) int minPlayersPerAddress,
        @Bindable(defaultValue = "1") @Positive double takeoverRate,
        @Bindable(defaultValue = "5") @Min(1) int takeoverBurst,
        @Bindable(defaultValue = "5") @Positive double loginRate,
        @Bindable(defaultValue = "20") @Min(1) int loginBurst,
        @Bindable(defaultValue = "100000") @Min(100) int trackedKeys) {

    /**
     * Players one address may hold in a universe of {@code maxPlayers} (0: unlimited): 0 (no
     * per-address limit) when the universe is unlimited or the share is 1.
     */
    public int maxPlayersPerAddress(int maxPlayers) {
        if (maxPlayers <= 0 || addressPlayerShare >= 1) {
            return 0;
        }
        return Math.min(maxPlayers, Math.max(minPlayersPerAddress, (int) Math.floor(addressPlayerShare * maxPlayers)));
    }
}
