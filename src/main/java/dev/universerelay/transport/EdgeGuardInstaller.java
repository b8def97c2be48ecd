package dev.universerelay.transport;

import dev.universerelay.limits.Refusals;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.security.ProxyTrust;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;

/**
 * Puts an {@link EdgeGuard} behind the HTTP codec of every TCP connection the server accepts
 * (HTTP API, static game files and WebSocket upgrades share one port), through
 * {@link BehindHttpCodec}. Peers listed in {@code relay.trusted-proxies} are
 * guarded too, but not held to the pending cap: behind a proxy, every client shares its address.
 */
@Singleton
final class EdgeGuardInstaller implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private final PendingConnections pending;
    private final Refusals refusals;
    private final EdgeConfiguration config;
    private final ProxyTrust proxies;

    EdgeGuardInstaller(PendingConnections pending, Refusals refusals, EdgeConfiguration config, ProxyTrust proxies,
                       RelayMetrics metrics) {
        this.pending = pending;
        this.refusals = refusals;
        this.config = config;
        this.proxies = proxies;
        metrics.gauge("relay.pending.connections",
                "Accepted TCP connections that have not upgraded to relay connections (handshaking or plain HTTP)",
                pending::total);
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new BehindHttpCodec(EdgeGuard.NAME, this::guardOf));
        return event.getBean();
    }

    /** The guard of one accepted connection. */
    private EdgeGuard guardOf(Channel channel) {
        String peer = peerAddress(channel);
        return new EdgeGuard(pending, refusals, config, peer, !proxies.isTrusted(peer));
    }

    private static String peerAddress(Channel channel) {
        if (channel.remoteAddress() instanceof InetSocketAddress remote) {
            return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        }
        return String.valueOf(channel.remoteAddress());
    }
}
