package dev.universerelay.transport;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import jakarta.inject.Singleton;

/**
 * Puts a {@link UniverseAffinity} right behind the HTTP codec of every TCP connection the server
 * accepts, through Micronaut's {@link NettyServerCustomizer} registry, and lists the loops of the
 * server's connection group once ({@link UniverseLoops}).
 */
@Singleton
final class UniverseAffinityInstaller implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private volatile UniverseLoops loops;

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new ListenerCustomizer());
        return event.getBean();
    }

    /** The loops of the group {@code channel} is registered with (listed on first use, again if the group differs). */
    UniverseLoops loopsOf(Channel channel) {
        EventLoopGroup group = channel.eventLoop().parent();
        UniverseLoops known = loops;
        if (known == null || !known.serves(group)) {
            known = UniverseLoops.of(group);
            loops = known;
        }
        return known;
    }

    private final class ListenerCustomizer implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new ConnectionCustomizer(channel) : this;
        }
    }

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
            if (channel.pipeline().get(UniverseAffinity.NAME) != null
                    || channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null) {
                return; // HTTP/2 and HTTP/3 pipelines have no HTTP/1 codec to sit behind; the relay serves HTTP/1.1
            }
            channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, UniverseAffinity.NAME,
                    new UniverseAffinity(UniverseAffinityInstaller.this::loopsOf));
        }
    }
}
