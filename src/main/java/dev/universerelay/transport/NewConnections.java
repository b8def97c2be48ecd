package dev.universerelay.transport;

import dev.universerelay.limits.AbuseDetector;
import dev.universerelay.limits.LimitsConfiguration;
import dev.universerelay.limits.Refusals;
import dev.universerelay.limits.TokenBucket;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.security.ProxyTrust;
import io.micronaut.http.HttpRequest;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;

/**
 * Makes the {@link Connection} of one socket with the node's limits: its outbox cap, rate limit,
 * abuse detector, welcome budget and close timeout, and the client's address as the trusted
 * proxies report it. Every relay socket gets the same, whatever it was opened for.
 */
@Singleton
final class NewConnections {
    private final LimitsConfiguration limits;
    private final ProxyTrust proxies;
    private final RelayMetrics metrics;
    private final Refusals refusals;
    private final LoopFlushers flushers;
    private final WireFanout fanout;
    private final WelcomeBudget welcomes;
    private final long closeTimeoutMillis;
    /** Events go out as raw frame bytes unless permessage-deflate may be on a socket ({@link CompressionSwitch}). */
    private final boolean rawFrames;

    NewConnections(LimitsConfiguration limits, ProxyTrust proxies, RelayMetrics metrics, Refusals refusals,
                   LoopFlushers flushers, WireFanout fanout, WelcomeBudget welcomes, WebSocketConfiguration websocket,
                   CompressionSwitch compression) {
        this.rawFrames = !compression.keepsDeflate();
        this.limits = limits;
        this.proxies = proxies;
        this.metrics = metrics;
        this.refusals = refusals;
        this.flushers = flushers;
        this.fanout = fanout;
        this.welcomes = welcomes;
        this.closeTimeoutMillis = websocket.closeTimeout().toMillis();
    }

    /** The connection of {@code channel}, upgraded by {@code request}, speaking {@code wire}. */
    Connection of(Channel channel, WireFormat wire, HttpRequest<?> request) {
        return new Connection(channel, wire, proxies.clientAddress(request), limits.maxPendingBytes(), flushers, fanout,
                new TokenBucket(limits.rate(), limits.burst(), System.nanoTime()),
                new AbuseDetector(limits.abuseRejections(), limits.abuseWindowMillis()), metrics, refusals, welcomes,
                closeTimeoutMillis, rawFrames);
    }
}
