package dev.universerelay.transport;

import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.util.function.Function;

/**
 * Puts a handler of the relay right behind Netty's HTTP/1 codec of every TCP connection the server
 * accepts, once Micronaut has built the connection's pipeline: the one way the relay's per-connection
 * handlers ({@link EdgeGuard}, {@link UniverseAffinity}) enter a pipeline. Registered with Micronaut's
 * {@link NettyServerCustomizer} registry; HTTP/2 and HTTP/3 pipelines have no HTTP/1 codec to sit
 * behind and are left alone (the relay serves HTTP/1.1).
 */
final class BehindHttpCodec implements NettyServerCustomizer {
    private final String name;
    private final Function<Channel, ChannelHandler> handlerFor;

    /** {@code handlerFor} makes the handler of one accepted connection, added under {@code name}. */
    BehindHttpCodec(String name, Function<Channel, ChannelHandler> handlerFor) {
        this.name = name;
        this.handlerFor = handlerFor;
    }

    @Override
    public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
        return role == ChannelRole.CONNECTION ? new ConnectionCustomizer(channel) : this;
    }

    /** One accepted connection: adds its handler once Micronaut has built the HTTP pipeline. */
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
            if (channel.pipeline().get(name) != null
                    || channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null) {
                return;
            }
            channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, name, handlerFor.apply(channel));
        }
    }
}
