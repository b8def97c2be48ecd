package dev.universerelay.transport;

import dev.universerelay.limits.Refusals;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.security.ProxyTrust;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;

/**
 * Puts an {@link EdgeGuard} behind the HTTP codec of every TCP connection the server accepts
 * (HTTP API, static game files and WebSocket upgrades share one port), through Micronaut's
 * {@link NettyServerCustomizer} registry. Peers listed in {@code relay.trusted-proxies} are
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
        event.getBean().register(new ListenerCustomizer());
        return event.getBean();
    }

    /** The server-wide customizer: hands each accepted connection its own. */
    private final class ListenerCustomizer implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new ConnectionCustomizer(channel) : this;
        }
    }

    /** One accepted connection: adds its guard once Micronaut has built the HTTP pipeline. */
    private final class ConnectionCustomizer implements NettyServerCustomizer {
        private final Channel channel;

        ConnectionCustomizer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return this;
        }

        @Override
        public void onInitialPipelineBuilt() {
            if (channel.pipeline().get(EdgeGuard.NAME) != null
                    || channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null) {
                return; // HTTP/2 and HTTP/3 pipelines have no HTTP/1 codec to sit behind; the relay serves HTTP/1.1
            }
            String peer = peerAddress(channel);
            channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, EdgeGuard.NAME,
                    new EdgeGuard(pending, refusals, config, peer, !proxies.isTrusted(peer)));
        }
    }

    private static String peerAddress(Channel channel) {
        if (channel.remoteAddress() instanceof InetSocketAddress remote) {
            return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        }
        return String.valueOf(channel.remoteAddress());
    }
}
