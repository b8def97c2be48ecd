package dev.universerelay.limits;

import jakarta.inject.Singleton;

/**
 * The limits of {@link QuotaConfiguration} that hold across connections, one instance per node:
 * the handshake filters and the guest login ask here before they spend anything on a client.
 */
@Singleton
public final class Quotas {
    private final KeyedRateLimiter handshakesByAddress;
    private final KeyedRateLimiter handshakesByIdentity;
    private final KeyedRateLimiter takeoversByIdentity;
    private final KeyedRateLimiter loginsByAddress;
    private final UniverseCreations creations;

    public Quotas(QuotaConfiguration config) {
        int keys = config.trackedKeys();
        this.handshakesByAddress = new KeyedRateLimiter(config.handshakeRate(), config.handshakeBurst(), keys);
        this.handshakesByIdentity = new KeyedRateLimiter(config.identityHandshakeRate(), config.identityHandshakeBurst(), keys);
        this.takeoversByIdentity = new KeyedRateLimiter(config.takeoverRate(), config.takeoverBurst(), keys);
        this.loginsByAddress = new KeyedRateLimiter(config.loginRate(), config.loginBurst(), keys);
        this.creations = new UniverseCreations(config.universesPerMinute(), config.universesHeld(), keys);
    }

    /** One handshake from {@code address}: 0 when allowed, else nanoseconds to wait. */
    public long handshakeFromAddress(String address) {
        return handshakesByAddress.tryTake(address);
    }

    /** One handshake of the identity {@code subject} (after its token was checked): 0 when allowed. */
    public long handshakeOfIdentity(String subject) {
        return handshakesByIdentity.tryTake(subject);
    }

    /** One takeover of an open connection by {@code subject}: 0 when allowed. */
    public long takeover(String subject) {
        return takeoversByIdentity.tryTake(subject);
    }

    /** One guest login from {@code address}: 0 when allowed, else nanoseconds to wait. */
    public long login(String address) {
        return loginsByAddress.tryTake(address);
    }

    public UniverseCreations creations() {
        return creations;
    }

    /** Addresses whose logins are remembered (for tests: the map stays bounded). */
    public int trackedLoginAddresses() {
        return loginsByAddress.trackedKeys();
    }
}
